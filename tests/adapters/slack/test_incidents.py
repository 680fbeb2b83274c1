"""Incidents over Slack: three alike requests open an L3 incident, a fourth asker gets the
"known issue" answer and its "My problem is different" button, and a developer resolves the
incident from its ping, which tells every linked requester."""

from __future__ import annotations

import re
from typing import Any

from tests.adapters.slack.builders import (
    ALICE,
    ALICE_DM,
    BOB,
    BOB_DM,
    DEV,
    L3_DESK,
    LINA,
    MALLORY,
    click,
    dm,
    submission,
)
from tests.adapters.slack.conftest import SlackBot, posted_to
from tests.adapters.slack_standin import Call

MALLORY_DM, LINA_DM = "D0DMMALLO1", "D0DMLINA01"
SAME_PROBLEM = (
    "Export of cases to Excel fails with an error",
    "Exporting cases to Excel fails with error",
    "Case export to Excel fails with an error message",
    "Excel export of cases gives an error",
)


def logged_ref(bot: SlackBot, user: str, channel: str, question: str) -> str:
    bot.transport.event(dm(question, user=user, channel=channel))
    logged = bot.standin.wait_for("chat.postMessage", posted_to(channel, "logged your question"))
    found = re.search(r"\bSR-\d+\b", logged.args["text"])
    assert found is not None, logged.args["text"]
    return found.group(0)


def buttons_of(call: Call) -> list[dict[str, Any]]:
    return [e for b in call.args["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_alike_requests_make_an_incident_that_resolves_for_everyone_from_its_ping(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    slack.dm_channels.update({MALLORY: MALLORY_DM, LINA: LINA_DM})
    askers = [(ALICE, ALICE_DM), (BOB, BOB_DM), (MALLORY, MALLORY_DM)]
    refs = [
        logged_ref(bot, user, channel, question)
        for (user, channel), question in zip(askers, SAME_PROBLEM, strict=False)
    ]
    ping = slack.wait_for("chat.postMessage", posted_to(L3_DESK, "New incident INC-1"))
    bot.wait_until_remembered(ping)
    assert "3 requests" in str(ping.args["blocks"])
    assert "Alice" not in str(ping.args["blocks"]), "L3 pings carry no personal data"
    assert [b["action_id"] for b in buttons_of(ping)] == [
        "ping_claim",
        "ping_reply",
        "ping_resolve",
    ]

    bot.transport.event(dm(SAME_PROBLEM[3], user=LINA, channel=LINA_DM))
    known = slack.wait_for("chat.postMessage", posted_to(LINA_DM, "known problem"))
    assert "INC-1, reported by 4 people" in known.args["text"]
    assert [b["text"]["text"] for b in buttons_of(known)] == ["My problem is different"]
    bot.transport.interaction(click(known, "suggestion_none", user=LINA))
    different = slack.wait_for("chat.postMessage", posted_to(LINA_DM, "I have logged"))
    assert "SR-4" in different.args["text"]

    bot.transport.interaction(click(ping, "ping_resolve", user=DEV))
    modal = slack.wait_for("views.open")
    bot.transport.interaction(submission(modal, user=DEV, text="Fixed in version 2.11.3"))
    slack.wait_for(
        "chat.postEphemeral",
        lambda c: c.args.get("user") == DEV and "3 requesters have been told" in c.args["text"],
    )
    for (_, channel), ref in zip(askers, refs, strict=True):
        told = slack.wait_for("chat.postMessage", posted_to(channel, "Good news"))
        assert f"({ref}) is fixed" in told.args["text"]
        assert "2.11.3" in told.args["text"]
        request = bot.request(ref)
        assert request is not None
        assert request.status.value == "resolved"
    assert slack.calls_of("chat.postMessage", posted_to(LINA_DM, "Good news")) == []
    slack.wait_for(
        "chat.update",
        lambda c: c.args.get("ts") == ping.response["ts"] and "resolved" in str(c.args["blocks"]),
    )
