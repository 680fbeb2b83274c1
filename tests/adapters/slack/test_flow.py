"""The whole support flow through Slack, over HTTP and over Socket Mode: a DM question, the
suggestions, "none of these helped", the reference, and the pings worked from L1 to L3."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from bot.core.model import Action, Level, Status
from tests.adapters.slack.builders import (
    ALICE,
    ALICE_DM,
    CAROL,
    DEV,
    L1_DESK,
    L2_DESK,
    L3_DESK,
    LINA,
    click,
    dm,
    submission,
)
from tests.adapters.slack.conftest import SlackBot, posted_to, wait_for
from tests.adapters.slack_standin import Call, SlackStandIn


def shown_blocks(standin: SlackStandIn, posted: Call) -> list[dict[str, Any]]:
    """What a posted message shows now: its blocks after the latest chat.update."""
    ts = posted.response["ts"]
    updates = standin.calls_of("chat.update", lambda c: c.args.get("ts") == ts and c.status == 200)
    shown: list[dict[str, Any]] = (updates[-1] if updates else posted).args["blocks"]
    return shown


def resolved_blocks(standin: SlackStandIn, posted: Call) -> list[dict[str, Any]] | None:
    blocks = shown_blocks(standin, posted)
    return blocks if "resolved" in str(blocks) else None


def press(bot: SlackBot, posted: Call, action_id: str, user: str) -> None:
    """`user` presses a button of `posted` as it looks now."""
    blocks = shown_blocks(bot.standin, posted)
    bot.transport.interaction(click(posted, action_id, user=user, blocks=blocks))


def ping_in(bot: SlackBot, channel: str) -> Call:
    ping = bot.standin.wait_for("chat.postMessage", lambda c: c.args.get("channel") == channel)
    return bot.wait_until_remembered(ping)


def whispered(standin: SlackStandIn, user: str, text: str) -> Call:
    def to_user(call: Call) -> bool:
        return call.args.get("user") == user and text in call.args.get("text", "")

    return standin.wait_for("chat.postEphemeral", to_user)


def ask_and_log(bot: SlackBot, user: str = ALICE, channel: str = ALICE_DM) -> tuple[str, Call]:
    """Someone asks, says none of the suggestions helped, and gets a reference; the L1 ping."""
    slack = bot.standin
    bot.transport.event(dm("I forgot my password", user=user, channel=channel))
    suggestions = slack.wait_for("chat.postMessage", posted_to(channel, "These articles"))
    bot.transport.interaction(click(suggestions, "suggestion_none", user=user))
    logged = slack.wait_for("chat.postMessage", posted_to(channel, "I have logged"))
    match = re.search(r"\b[A-Z]+-\d+\b", logged.args["text"])
    assert match is not None, logged.args["text"]
    return match.group(0), ping_in(bot, L1_DESK)


def test_a_request_travels_from_a_dm_question_through_every_level_to_resolved(
    any_bot: SlackBot,
) -> None:
    slack = any_bot.standin
    ref, l1_ping = ask_and_log(any_bot)

    assert ref in l1_ping.args["text"]
    assert [b["action_id"] for b in l1_ping.args["blocks"][-1]["elements"]] == [
        "ping_claim",
        "ping_reply",
        "ping_resolve",
        "ping_escalate",
    ]

    press(any_bot, l1_ping, "ping_claim", LINA)
    whispered(slack, LINA, f"You have claimed {ref}")
    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Lina Admin from the support team"))

    press(any_bot, l1_ping, "ping_escalate", LINA)
    l2_ping = ping_in(any_bot, L2_DESK)
    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "support coordinators (Level 2)"))

    press(any_bot, l2_ping, "ping_claim", CAROL)
    whispered(slack, CAROL, f"You have claimed {ref}")
    press(any_bot, l2_ping, "ping_escalate", CAROL)
    l3_ping = ping_in(any_bot, L3_DESK)
    assert "Alice" not in str(l3_ping.args["blocks"]), "L3 pings leave out who asked"

    press(any_bot, l3_ping, "ping_resolve", DEV)
    modal = slack.wait_for("views.open")
    assert modal.args["view"]["callback_id"] == "supportbot_resolve"
    any_bot.transport.interaction(submission(modal, user=DEV, text="Fixed the reset e-mail"))

    told = slack.wait_for(
        "chat.postMessage", posted_to(ALICE_DM, f"Your request {ref} is resolved")
    )
    assert "Fixed the reset e-mail" in told.args["text"]
    whispered(slack, DEV, f"{ref} is resolved")

    request = any_bot.request(ref)
    assert request is not None
    assert (request.level, request.status) == (Level.L3, Status.RESOLVED)
    actions = [entry.action for entry in any_bot.history(ref)]
    assert actions == [
        Action.LOGGED,
        Action.CLAIMED,
        Action.ESCALATED,
        Action.CLAIMED,
        Action.ESCALATED,
        Action.RESOLVED,
    ]


def test_every_ping_of_a_resolved_request_shows_it_resolved_without_buttons(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    ref, l1_ping = ask_and_log(bot)
    press(bot, l1_ping, "ping_escalate", LINA)
    l2_ping = ping_in(bot, L2_DESK)
    press(bot, l2_ping, "ping_resolve", CAROL)
    bot.transport.interaction(submission(slack.wait_for("views.open"), user=CAROL, text=""))
    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, f"Your request {ref} is resolved"))

    for ping in (l1_ping, l2_ping):
        blocks = wait_for(partial(resolved_blocks, slack, ping), what="the ping resolved") or []
        assert [b["type"] for b in blocks] == ["header", "section"], "no buttons are left"


def test_the_suggestions_message_shows_the_choice_and_loses_its_buttons(bot: SlackBot) -> None:
    slack = bot.standin
    bot.transport.event(dm("I forgot my password"))
    suggestions = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "These articles"))
    bot.transport.interaction(click(suggestions, "suggestion_solved", user=ALICE))

    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Glad that helped"))
    update = slack.wait_for("chat.update", lambda c: c.args["ts"] == suggestions.response["ts"])
    blocks = update.args["blocks"]
    assert not any(b["type"] == "actions" or "accessory" in b for b in blocks)
    assert "This solved it" in str(blocks)
    assert slack.calls_of("chat.postMessage", lambda c: c.args.get("channel") == L1_DESK) == []
