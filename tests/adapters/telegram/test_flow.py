"""The whole support flow over Telegram, in long-polling and in webhook mode."""

from __future__ import annotations

from functools import partial
from typing import Any

from bot.core.model import Action
from tests.adapters.telegram.builders import (
    ALICE,
    CARLOS,
    DEV,
    L1_GROUP,
    L2_GROUP,
    L3_GROUP,
    LINA,
    buttons,
)
from tests.adapters.telegram.conftest import RunningBot, wait_for
from tests.adapters.telegram.steps import REF, ask, current, press


def test_a_question_goes_from_suggestions_through_every_level_to_resolution(
    bot: RunningBot,
) -> None:
    suggestions = ask(bot, ALICE, "I forgot my password")
    assert "Reset a forgotten password" in suggestions["text"]
    assert "2. Enter your e-mail address & tap Send." in suggestions["text"]
    labels = list(buttons(suggestions))
    assert labels[0] == "✓ 1 This solved it"
    assert labels[-1] == "None of these helped"

    press(bot, ALICE, suggestions, "None of these helped")
    wait_for(lambda: "reply_markup" not in current(bot, suggestions), what="buttons removed")
    logged = bot.wait_for_message(ALICE.id, lambda m: "logged your question" in m["text"])
    found = REF.search(logged["text"])
    assert found is not None
    ref = found.group(1)

    l1_ping = bot.wait_for_message(L1_GROUP, lambda m: ref in m["text"], "the L1 ping")
    assert f"New support request {ref}" in l1_ping["text"]
    assert "Alice Example (telegram)" in l1_ping["text"]
    assert list(buttons(l1_ping)) == ["Claim", "Resolve", "Escalate"]

    claimed = press(bot, LINA, l1_ping, "Claim")
    assert claimed.args["text"] == f"You have claimed {ref}."
    wait_for(
        lambda: "Lina Admin" in current(bot, l1_ping)["text"], what="the ping to show the claim"
    )
    assert list(buttons(current(bot, l1_ping))) == ["Resolve", "Escalate"]
    bot.wait_for_message(ALICE.id, lambda m: "Lina Admin from the support team" in m["text"])

    press(bot, LINA, current(bot, l1_ping), "Escalate")
    l2_ping = bot.wait_for_message(L2_GROUP, lambda m: ref in m["text"], "the L2 ping")
    assert f"{ref} escalated to L2" in l2_ping["text"]
    bot.wait_for_message(ALICE.id, lambda m: "support coordinators (Level 2)" in m["text"])

    press(bot, CARLOS, l2_ping, "Escalate")
    l3_ping = bot.wait_for_message(L3_GROUP, lambda m: ref in m["text"], "the L3 ping")
    assert f"{ref} escalated to L3" in l3_ping["text"]
    assert "Alice" not in l3_ping["text"]  # developers get the problem, not who asked

    resolved = press(bot, DEV, l3_ping, "Resolve")
    assert resolved.args["text"] == f"{ref} is resolved; the requester has been told."
    bot.wait_for_message(ALICE.id, lambda m: f"Your request {ref} is resolved." in m["text"])
    for ping in (l1_ping, l2_ping, l3_ping):
        wait_for(partial(_shows_resolved, bot, ping), what="every ping to show the resolution")
        assert "reply_markup" not in current(bot, ping)
    actions = [entry.action for entry in bot.history(ref)]
    assert actions == [
        Action.LOGGED,
        Action.CLAIMED,
        Action.ESCALATED,
        Action.ESCALATED,
        Action.RESOLVED,
    ]


def test_an_article_that_solved_it_closes_the_suggestions_without_a_request(
    bot: RunningBot,
) -> None:
    suggestions = ask(bot, ALICE, "I forgot my password")
    answered = press(bot, ALICE, suggestions, "✓ 1 This solved it")
    assert answered.status == 200
    bot.wait_for_message(ALICE.id, lambda m: m["text"] == "Glad that helped! Ask again any time.")
    wait_for(lambda: "reply_markup" not in current(bot, suggestions), what="buttons removed")
    assert bot.api.sent(L1_GROUP) == []


def _shows_resolved(bot: RunningBot, ping: dict[str, Any]) -> bool:
    return "Status: resolved" in current(bot, ping)["text"]
