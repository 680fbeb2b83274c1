"""What Telegram does to a bot on a bad day: redeliveries, 429s, blocked users and failures.

Also forged webhook posts and articles too long for one message."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from bot.core.model import Action
from bot.i18n.catalogue import BabelCatalogue, load_translations
from tests.adapters.telegram.builders import (
    ALICE,
    L1_GROUP,
    LINA,
    button_data,
    button_press,
    text_message,
)
from tests.adapters.telegram.conftest import (
    WEBHOOK_SECRET,
    RunningBot,
    make_settings,
    running_bot,
    wait_for,
)
from tests.adapters.telegram.steps import ask, current, has_suggestions, log_request, press
from tests.adapters.telegram_standin import BotApiStandIn, load_payload

CATALOGUE = BabelCatalogue(load_translations())

GRACE = 0.7  # seconds to let anything unwanted show up before checking it did not


def _help_shown(bot: RunningBot, count: int) -> bool:
    return len([m for m in bot.api.sent(ALICE.id) if "/status" in m["text"]]) >= count


def test_a_redelivered_update_is_answered_only_once(bot: RunningBot) -> None:
    question = text_message(ALICE, "I forgot my password")
    bot.api.push(question)
    bot.wait_for_message(ALICE.id, has_suggestions, "suggestions")
    bot.api.redeliver(question)
    bot.api.push(text_message(ALICE, "/help"))  # handled after the redelivery
    wait_for(lambda: _help_shown(bot, 1), what="the help")
    time.sleep(GRACE)
    assert len([m for m in bot.api.sent(ALICE.id) if has_suggestions(m)]) == 1


def test_a_button_press_redelivered_after_a_restart_logs_no_second_request(
    api: BotApiStandIn, tmp_path: Path, kb_dir: Path
) -> None:
    settings = make_settings(api, tmp_path, kb_dir, webhook=True)
    with running_bot(api, settings) as bot:
        suggestions = ask(bot, ALICE, "I forgot my password")
        update = button_press(ALICE, suggestions, "n:1")
        api.push(update)
        bot.wait_for_message(L1_GROUP, lambda m: "SR-1" in m["text"], "the ping")
    with running_bot(api, settings) as bot:
        api.redeliver(update)  # the new process has an empty memory: the register decides
        query = update["callback_query"]["id"]
        wait_for(lambda: len(api.calls_to("answerCallbackQuery", callback_query_id=query)) == 2)
        time.sleep(GRACE)
        assert len([m for m in api.sent(ALICE.id) if "logged your question" in m["text"]]) == 1
        assert len(api.sent(L1_GROUP)) == 1
        assert [e.action for e in bot.history("SR-1")] == [Action.LOGGED]


def test_a_429_is_waited_out_and_the_answer_and_the_ping_still_arrive(bot: RunningBot) -> None:
    too_many = load_payload("error_429.json")["description"]
    bot.api.fail("sendMessage", 429, too_many, chat_id=ALICE.id, retry_after=1)
    bot.api.fail("sendMessage", 429, too_many, chat_id=L1_GROUP, retry_after=1)
    ref, _ = log_request(bot, ALICE, "I forgot my password")
    to_alice = [c.status for c in bot.api.calls_to("sendMessage", chat_id=ALICE.id)]
    to_staff = [c.status for c in bot.api.calls_to("sendMessage", chat_id=L1_GROUP)]
    assert to_alice[:2] == [429, 200]
    assert to_staff == [429, 200]
    assert ref == "SR-1"


def test_a_requester_who_blocked_the_bot_is_recorded_as_unreachable(bot: RunningBot) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    bot.api.block(ALICE.id)
    press(bot, LINA, ping, "Claim")

    def unreachable() -> list[str]:
        history = bot.history(ref)
        return [e.detail for e in history if e.action is Action.REQUESTER_UNREACHABLE]

    details = wait_for(unreachable, what="the unreachable requester to be recorded")
    assert "blocked by the user" in details[0]
    wait_for(lambda: "Lina Admin" in current(bot, ping)["text"], what="the claim on the ping")


def test_an_unexpected_failure_is_logged_with_its_traceback_and_the_user_gets_an_apology(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="supportbot.telegram")
    bot.api.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=ALICE.id)
    bot.api.push(text_message(ALICE, "/help"))
    apology = bot.wait_for_message(ALICE.id, lambda m: m["text"].startswith("Sorry, something"))
    assert "chat not found" not in apology["text"]
    failures = [r for r in caplog.records if r.name == "supportbot.telegram" and r.exc_info]
    assert failures
    assert "chat not found" in str(failures[0].exc_info[1]).lower()  # type: ignore[index]


def test_the_apology_is_in_the_language_the_person_chose(bot: RunningBot) -> None:
    bot.api.push(text_message(ALICE, "/start"))  # ALICE's Telegram speaks English
    welcome = bot.wait_for_message(ALICE.id, lambda m: "l:fr" in button_data(m), "the welcome")
    press(bot, ALICE, welcome, "Français")
    bot.wait_for_message(ALICE.id, lambda m: m["text"].startswith("Désormais"), "the choice")

    bot.api.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=ALICE.id)
    bot.api.push(text_message(ALICE, "/help"))
    apology = CATALOGUE.text("error.apology", "fr")
    bot.wait_for_message(ALICE.id, lambda m: m["text"] == apology, "the apology in French")


def test_the_webhook_refuses_updates_without_the_right_secret(
    api: BotApiStandIn, tmp_path: Path, kb_dir: Path
) -> None:
    settings = make_settings(api, tmp_path, kb_dir, webhook=True)
    with running_bot(api, settings) as bot:
        hook = api.calls_to("setWebhook")[-1].args
        assert hook["url"] == settings.telegram.webhook_url
        assert hook["secret_token"] == WEBHOOK_SECRET
        assert hook["allowed_updates"] == ["message", "callback_query"]

        forged = text_message(ALICE, "I forgot my password")
        api.prepare(forged)
        assert api.post_to_webhook(forged, None) == 403
        assert api.post_to_webhook(forged, "not-the-secret") == 403
        assert api.push(text_message(ALICE, "/help")) == 200
        wait_for(lambda: _help_shown(bot, 1), what="the help")
        time.sleep(GRACE)
        assert not [m for m in api.sent(ALICE.id) if has_suggestions(m)]


@pytest.mark.parametrize("mode", ["polling"])
def test_polling_mode_removes_any_webhook_and_confirms_what_it_took(bot: RunningBot) -> None:
    assert bot.api.calls_to("deleteWebhook")
    bot.api.push(text_message(ALICE, "/help"))
    wait_for(lambda: _help_shown(bot, 1), what="the help")
    bot.api.push(text_message(ALICE, "/help"))
    wait_for(lambda: _help_shown(bot, 2), what="the help again")
    offsets = [int(c.args.get("offset", 0)) for c in bot.api.calls_to("getUpdates")]
    assert offsets == sorted(offsets)
    assert offsets[-1] > offsets[0]


def test_a_long_article_arrives_in_several_valid_messages_with_the_buttons_under_the_last(
    api: BotApiStandIn, tmp_path: Path, kb_dir: Path
) -> None:
    steps = "\n".join(f"1. Step with <brackets> & ampersands, number {n}." for n in range(200))
    (kb_dir / "long-guide.md").write_text(
        "---\nid: long-guide\ntitle: The very long printer guide\ntags: [printer]\n"
        f"language: en\n---\n# Printer\n{steps}\n",
        encoding="utf-8",
    )
    with running_bot(api, make_settings(api, tmp_path, kb_dir)) as bot:
        api.push(text_message(ALICE, "printer guide"))
        last = bot.wait_for_message(ALICE.id, has_suggestions, "the suggestions")
        parts = api.sent(ALICE.id)
        assert len(parts) >= 3
        assert parts[-1] == last
        assert all(c.status == 200 for c in api.calls_to("sendMessage", chat_id=ALICE.id))
        text = "\n".join(part["text"] for part in parts)
        assert "200. Step with <brackets> & ampersands, number 199." in text
