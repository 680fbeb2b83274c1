"""Incidents over Telegram: three alike requests open an L3 incident, a fourth asker gets the
"known issue" answer with its "My problem is different" button, and a developer resolves the
incident from the button on its ping; every linked requester is told."""

from __future__ import annotations

from tests.adapters.harness import wait_for
from tests.adapters.telegram.builders import (
    ALICE,
    BOB,
    DEV,
    L3_GROUP,
    LINA,
    MALLORY,
    TgUser,
    buttons,
    text_message,
)
from tests.adapters.telegram.conftest import RunningBot
from tests.adapters.telegram.steps import REF, current, press

SAME_PROBLEM = (
    "Export of cases to Excel fails with an error",
    "Exporting cases to Excel fails with error",
    "Case export to Excel fails with an error message",
    "Excel export of cases gives an error",
)


def logged_ref(bot: RunningBot, user: TgUser, question: str) -> str:
    bot.api.push(text_message(user, question))
    logged = bot.wait_for_message(user.id, lambda m: "logged your question" in m["text"])
    found = REF.search(logged["text"])
    assert found is not None, logged["text"]
    return found.group(1)


def test_alike_requests_make_an_incident_that_resolves_for_everyone_from_its_ping(
    bot: RunningBot,
) -> None:
    askers = [ALICE, BOB, MALLORY]
    refs = [logged_ref(bot, user, q) for user, q in zip(askers, SAME_PROBLEM, strict=False)]
    ping = bot.wait_for_message(L3_GROUP, lambda m: "New incident INC-1" in m["text"])
    wait_for(lambda: bot.remembers(ping), what="the incident ping to be recorded")
    assert "3 requests" in ping["text"]
    assert "Alice" not in ping["text"]
    assert list(buttons(ping)) == ["Claim", "Resolve"]

    bot.api.push(text_message(LINA, SAME_PROBLEM[3]))
    known = bot.wait_for_message(LINA.id, lambda m: "known problem" in m["text"])
    assert "INC-1, reported by 4 people" in known["text"]
    assert list(buttons(known)) == ["My problem is different"]
    press(bot, LINA, known, "My problem is different")
    different = bot.wait_for_message(LINA.id, lambda m: "I have logged" in m["text"])
    assert "SR-4" in different["text"]

    resolved = press(bot, DEV, ping, "Resolve")
    assert resolved.args["text"] == "INC-1 is resolved; 3 requesters have been told."
    for user, ref in zip(askers, refs, strict=True):
        told = bot.wait_for_message(user.id, lambda m: "Good news" in m["text"])
        assert f"({ref}) is fixed" in told["text"]
    wait_for(lambda: "Status: resolved" in current(bot, ping)["text"], what="the ping resolved")
    assert not [m for m in bot.api.sent(LINA.id) if "Good news" in m["text"]]
