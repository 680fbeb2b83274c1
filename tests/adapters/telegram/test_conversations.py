"""People talking to the bot on Telegram: staff and requesters, groups, /start and /status.

Also clicks by people who may not act."""

from __future__ import annotations

import re
import time

from bot.bootstrap import open_register
from bot.core.model import Action
from tests.adapters.telegram.builders import (
    ALICE,
    BOB,
    CARLOS,
    FIELD_GROUP,
    L1_GROUP,
    LINA,
    MALLORY,
    button_data,
    buttons,
    group_chat,
    text_message,
)
from tests.adapters.telegram.conftest import SITES, RunningBot, wait_for
from tests.adapters.telegram.steps import current, has_suggestions, log_request, press

GRACE = 0.7  # seconds to let anything unwanted show up before checking it did not


def test_staff_answer_by_replying_to_the_ping_and_the_requester_answers_back_under_it(
    bot: RunningBot,
) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    staff_group = group_chat(L1_GROUP, "L1 site administrators")
    bot.api.push(
        text_message(LINA, "Please try the reset link again", chat=staff_group, reply_to=ping)
    )
    notice = bot.wait_for_message(ALICE.id, lambda m: "reset link again" in m["text"])
    assert (
        notice["text"] == f"Support team (Lina Admin) about {ref}: Please try the reset link again"
    )
    confirmation = bot.wait_for_message(
        L1_GROUP, lambda m: m["text"] == f"Your reply to {ref} was sent to the requester."
    )
    assert confirmation["reply_to_message"]["from"]["id"] == LINA.id

    wait_for(lambda: bot.remembers(notice), what="the notice to be recorded")
    bot.api.push(text_message(ALICE, "It works now, thank you", reply_to=notice))
    relay = bot.wait_for_message(L1_GROUP, lambda m: "It works now" in m["text"])
    assert relay["text"] == f"Requester answered on {ref}: It works now, thank you"
    assert relay["reply_to_message"]["message_id"] == ping["message_id"]
    bot.wait_for_message(
        ALICE.id,
        lambda m: m["text"] == f"Thank you, your answer about {ref} has been passed to the team.",
    )
    actions = [entry.action for entry in bot.history(ref)]
    assert actions == [Action.LOGGED, Action.REPLIED, Action.REQUESTER_ANSWERED]


def test_in_a_group_the_bot_answers_a_mention_as_a_reply_and_ignores_other_talk(
    bot: RunningBot,
) -> None:
    bot.api.push(text_message(BOB, "Lunch at noon, everyone?", chat=FIELD_GROUP))
    question = text_message(BOB, "@fake_test_bot I forgot my password", chat=FIELD_GROUP)
    bot.api.push(question)
    group_id = FIELD_GROUP["id"]
    suggestions = bot.wait_for_message(group_id, has_suggestions, "suggestions in the group")
    assert suggestions["reply_to_message"]["message_id"] == question["message"]["message_id"]

    someone_else = press(bot, ALICE, suggestions, "None of these helped")
    assert someone_else.args["text"] == "Only the person who asked can answer these suggestions."
    assert "reply_markup" in current(bot, suggestions)

    press(bot, BOB, suggestions, "✓ 1 This solved it")
    bot.wait_for_message(group_id, lambda m: m["text"] == "Glad that helped! Ask again any time.")
    time.sleep(GRACE)
    assert len(bot.api.sent(group_id)) == 2  # the suggestions and the thanks; lunch ignored
    assert bot.api.sent(L1_GROUP) == []


def test_a_reply_to_the_bot_in_a_group_counts_as_a_question(bot: RunningBot) -> None:
    bot.api.push(text_message(BOB, "@fake_test_bot /help", chat=FIELD_GROUP))
    bot.api.push(text_message(BOB, "/help@fake_test_bot", chat=FIELD_GROUP))
    helped = bot.wait_for_message(FIELD_GROUP["id"], lambda m: "/status" in m["text"])
    assert "mention me (@fake_test_bot)" in helped["text"]
    bot.api.push(text_message(BOB, "I forgot my password", chat=FIELD_GROUP, reply_to=helped))
    bot.wait_for_message(FIELD_GROUP["id"], has_suggestions, "suggestions after a reply")


def test_start_welcomes_the_user_and_offers_language_and_site_buttons(bot: RunningBot) -> None:
    bot.api.push(text_message(ALICE, "/start"))
    welcome = bot.wait_for_message(ALICE.id, lambda m: "l:en" in button_data(m), "the welcome")
    assert welcome["text"].startswith("Hello Alice!")
    assert list(buttons(welcome)) == ["English", "Français", "Español", "Português", "العربية"]
    sites = bot.wait_for_message(ALICE.id, lambda m: "t:0" in button_data(m), "the site buttons")
    assert list(buttons(sites)) == SITES

    press(bot, ALICE, sites, "Uganda")
    bot.wait_for_message(ALICE.id, lambda m: m["text"] == "Your site is now Uganda.")
    press(bot, ALICE, welcome, "Français")
    wait_for(lambda: _chosen_language(bot) == "fr", what="French to be saved")

    _, ping = log_request(bot, ALICE, "I forgot my password")
    assert "Site: Uganda" in ping["text"]
    assert re.search(r"^Language: .*\bfr\b", ping["text"], re.MULTILINE)


def test_an_unknown_command_in_private_gets_the_list_of_commands(bot: RunningBot) -> None:
    bot.api.push(text_message(ALICE, "/claim SR-1"))
    helped = bot.wait_for_message(ALICE.id, lambda m: "/status" in m["text"], "the help")
    assert "/language" in helped["text"]


def test_status_lists_only_the_requesters_open_requests(bot: RunningBot) -> None:
    ref, _ = log_request(bot, ALICE, "I forgot my password")
    bot.api.push(text_message(ALICE, "/status"))
    status = bot.wait_for_message(ALICE.id, lambda m: m["text"].startswith("Your open requests"))
    assert ref in status["text"]
    bot.api.push(text_message(BOB, "/status"))
    bot.wait_for_message(BOB.id, lambda m: m["text"] == "You have no open requests.")


def test_a_click_by_someone_who_is_not_staff_of_the_level_is_refused_and_recorded(
    bot: RunningBot,
) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    refused = press(bot, MALLORY, ping, "Claim")
    assert refused.args["text"] == f"Sorry, only L1 support staff can act on {ref}."
    other_level = press(bot, CARLOS, ping, "Resolve")
    assert other_level.args["text"] == f"Sorry, only L1 support staff can act on {ref}."

    refusals = [e for e in bot.history(ref) if e.action is Action.REFUSED]
    assert [e.actor for e in refusals] == [f"telegram:{MALLORY.id}", f"telegram:{CARLOS.id}"]
    time.sleep(GRACE)
    assert bot.api.calls_to("editMessageText", chat_id=L1_GROUP) == []
    assert list(buttons(current(bot, ping))) == ["Claim", "Resolve", "Escalate"]


def _chosen_language(bot: RunningBot) -> str | None:
    register = open_register(bot.settings)
    try:
        with register.unit_of_work() as uow:
            chosen = uow.preferences.get(f"telegram:{ALICE.id}")
            return chosen.language if chosen else None
    finally:
        register.close()
