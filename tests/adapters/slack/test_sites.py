"""A Slack requester is tied to a site by their workspace (the sites file's `slack_teams`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.slack.builders import ALICE, GENERAL, L1_DESK, click, mention
from tests.adapters.slack.conftest import SlackBot, make_settings, posted_to, running_bot
from tests.adapters.slack.test_flow import ask_and_log, ping_in
from tests.adapters.slack_standin import SlackStandIn

SITES_FILE = """\
sites:
  - name: Kenya
    timezone: Africa/Nairobi
    requesters:
      slack_teams: [T0FAKE0001]
  - name: Somalia
    timezone: Africa/Mogadishu
    requesters:
      slack_channels: [C0GENERAL1]
"""
REF = re.compile(r"\b[A-Z]+-\d+\b")


@pytest.fixture
def kenya_bot(standin: SlackStandIn, tmp_path: Path, kb_dir: Path) -> Iterator[SlackBot]:
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES_FILE, encoding="utf-8")
    settings = make_settings(standin, tmp_path, kb_dir).model_copy(update={"sites_file": sites})
    with running_bot(standin, settings) as bot:
        yield bot


def test_a_request_from_a_mapped_workspace_records_its_site_and_shows_it_in_the_ping(
    kenya_bot: SlackBot,
) -> None:
    ref, ping = ask_and_log(kenya_bot)
    request = kenya_bot.request(ref)
    assert request is not None
    assert request.site == "Kenya"
    assert "Kenya" in str(ping.args["blocks"])


def test_a_mention_in_a_mapped_channel_records_the_channels_site(kenya_bot: SlackBot) -> None:
    slack = kenya_bot.standin
    kenya_bot.transport.event(mention("I forgot my password", channel=GENERAL))
    suggestions = slack.wait_for("chat.postMessage", posted_to(GENERAL, "These articles"))
    kenya_bot.transport.interaction(click(suggestions, "suggestion_none", user=ALICE))
    logged = slack.wait_for("chat.postMessage", posted_to(GENERAL, "I have logged"))
    ref = REF.search(logged.args["text"])
    assert ref is not None
    request = kenya_bot.request(ref.group(0))
    assert request is not None
    assert request.site == "Somalia"  # the channel's site, before the workspace's (Kenya)
    assert "Somalia" in str(ping_in(kenya_bot, L1_DESK).args["blocks"])
