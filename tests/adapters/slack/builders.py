"""Slack payloads for tests, built from the recorded shapes in tests/payloads/slack/.

Clicks and modal submissions are built from what the bot really posted to the stand-in (its
blocks, buttons and modal), the way Slack builds them from the message a person sees."""

from __future__ import annotations

import copy
import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

from tests.adapters.slack_standin import Call, Profile

PAYLOADS = Path(__file__).resolve().parents[2] / "payloads" / "slack"

ALICE, ALICE_DM = "U0ALICE001", "D0DMALICE1"
BOB, BOB_DM = "U0BOB00002", "D0DMBOB002"
LINA, CAROL, DEV, MALLORY = "U0LINA0001", "U0CAROL003", "U0DEV00001", "U0MALLORY1"
GENERAL = "C0GENERAL1"
L1_DESK, L2_DESK, L3_DESK = "C0L1DESK01", "C0L2DESK01", "C0L3DESK01"
PEOPLE = {
    ALICE: Profile("Alice Example"),
    BOB: Profile("Bob <!channel> & co"),  # a hostile display name: must be shown escaped
    LINA: Profile("Lina Admin"),
    CAROL: Profile("Carol Coordinator"),
    DEV: Profile("Dev Developer"),
    MALLORY: Profile("Mallory"),
}

_numbers = itertools.count(1)


def unique() -> int:
    return next(_numbers)


@cache
def _template(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_template(name))
    return data


def new_ts() -> str:
    return f"1795751300.{unique():06d}"


def envelope(template: str, event: dict[str, Any]) -> dict[str, Any]:
    body = load(template)
    body["event"] = {**body["event"], **event}
    body["event_id"] = f"Ev{unique():09d}"
    return body


def dm(
    text: str, *, user: str = ALICE, channel: str = ALICE_DM, thread_ts: str | None = None
) -> dict[str, Any]:
    ts = new_ts()
    event: dict[str, Any] = {"text": text, "user": user, "channel": channel, "ts": ts}
    event |= {"event_ts": ts, "client_msg_id": f"msg-{unique()}"}
    event["blocks"] = [_rich_text(text)]
    if thread_ts is not None:
        event |= {"thread_ts": thread_ts, "parent_user_id": "U0FAKEBOT1"}
    return envelope("event_message_im.json", event)


def mention(text: str, *, user: str = ALICE, channel: str = GENERAL) -> dict[str, Any]:
    ts = new_ts()
    event = {"text": f"<@U0FAKEBOT1> {text}", "user": user, "channel": channel, "ts": ts}
    return envelope("event_app_mention.json", event | {"event_ts": ts})


def thread_reply(text: str, *, user: str, channel: str, thread_ts: str) -> dict[str, Any]:
    """A person's reply in the thread of a message in a channel (message.channels)."""
    ts = new_ts()
    event: dict[str, Any] = {"text": text, "user": user, "channel": channel, "ts": ts}
    event["thread_ts"] = thread_ts
    event["blocks"] = [_rich_text(text)]
    return envelope("event_message_in_thread.json", event | {"event_ts": ts})


def _rich_text(text: str) -> dict[str, Any]:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "block_id": f"b{unique()}", "elements": [section]}


def home_opened(user: str = ALICE) -> dict[str, Any]:
    return envelope("event_app_home_opened.json", {"user": user})


def find_button(
    blocks: list[dict[str, Any]], action_id: str, value: str | None
) -> tuple[str, dict[str, Any]]:
    """(block_id, button) of the first button with `action_id` (and `value`, if given)."""
    for block in blocks:
        elements = block.get("elements") or []
        candidates = [block["accessory"]] if "accessory" in block else elements
        for element in candidates:
            if element.get("action_id") == action_id and value in (None, element.get("value")):
                return block.get("block_id", ""), element
    raise AssertionError(f"no button {action_id} {value or ''} in {json.dumps(blocks)[:500]}")


def click(
    posted: Call,
    action_id: str,
    *,
    user: str,
    value: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A block_actions payload for a button of a message the bot posted (`posted` is its
    chat.postMessage call; `blocks`, when given, is what the message shows now)."""
    channel, ts = posted.response["channel"], posted.response["ts"]
    shown = blocks if blocks is not None else posted.args["blocks"]
    block_id, button = find_button(shown, action_id, value)
    payload = load("block_actions.json")
    payload["user"] = {
        "id": user,
        "username": user.lower(),
        "name": user.lower(),
        "team_id": "T0FAKE0001",
    }
    payload["container"] |= {"message_ts": ts, "channel_id": channel}
    payload["channel"] = {
        "id": channel,
        "name": "directmessage" if channel.startswith("D") else "desk",
    }
    payload["trigger_id"] = f"1795751117.{unique()}.3bb4bec97ee54b7a8e896cbb277633"
    message = {**posted.response["message"], "blocks": copy.deepcopy(shown)}
    payload["message"] = message
    payload["actions"] = [{**button, "block_id": block_id, "action_ts": new_ts()}]
    return payload


def submission(modal: Call, *, user: str, text: str) -> dict[str, Any]:
    """A view_submission of the modal the bot opened (`modal` is its views.open call)."""
    view = copy.deepcopy(modal.args["view"])
    payload = load("view_submission.json")
    payload["user"] = {
        "id": user,
        "username": user.lower(),
        "name": user.lower(),
        "team_id": "T0FAKE0001",
    }
    payload["trigger_id"] = f"1795751118.{unique()}.e3e2bff7ba5d420fb6f1f1cfdec96a"
    values = {"answer": {"text": {"type": "plain_text_input", "value": text}}}
    payload["view"] = {**payload["view"], **view, "state": {"values": values}}
    return payload


def command(
    text: str, *, user: str = ALICE, channel: str = GENERAL, response_url: str
) -> dict[str, str]:
    fields: dict[str, str] = load("slash_command.json")
    fields |= {"text": text, "user_id": user, "channel_id": channel, "response_url": response_url}
    fields["trigger_id"] = f"1795751119.{unique()}.a52feeaf88484c60ad31e2a395d34d"
    return fields
