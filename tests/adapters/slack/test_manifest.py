"""The Slack app manifest asks for exactly what the adapter uses, all on one Request URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.http import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "manifest.yml"


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_the_manifest_subscribes_to_the_events_the_listeners_handle() -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == [
        "app_home_opened",
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
    ]


def test_the_manifest_asks_for_exactly_the_scopes_the_bot_uses() -> None:
    assert sorted(manifest()["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "channels:history",
        "channels:read",
        "chat:write",
        "commands",
        "groups:history",
        "groups:read",
        "im:history",
        "users:read",
    ]


def test_events_clicks_and_the_slash_command_share_one_request_url() -> None:
    data = manifest()
    urls = {
        data["settings"]["event_subscriptions"]["request_url"],
        data["settings"]["interactivity"]["request_url"],
        *(command["url"] for command in data["features"]["slash_commands"]),
    }
    assert len(urls) == 1
    assert urls.pop().endswith(EVENTS_PATH)
    assert [c["command"] for c in data["features"]["slash_commands"]] == ["/support"]


def test_the_home_tab_and_direct_messages_are_open() -> None:
    home = manifest()["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert home["messages_tab_read_only_enabled"] is False
