"""Which Telegram messages are meant for the bot, and what the bot makes of them."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr, ValidationError
from telegram import Message, Update, User

from bot.telegram.intake import addressed_to_bot, incoming_from, without_mentions
from bot.telegram.platform import file_url
from config.settings import TelegramSettings
from tests.adapters.telegram.builders import ALICE, BOB, FIELD_GROUP, text_message
from tests.adapters.telegram_standin import load_payload

BOT = User.de_json(load_payload("get_me.json"), None)


def as_message(update: dict[str, Any], message_id: int = 2001) -> Message:
    update["message"].setdefault("message_id", message_id)
    message = Message.de_json(update["message"], None)
    assert message is not None
    return message


def test_the_recorded_group_mention_is_addressed_to_the_bot_and_loses_the_mention() -> None:
    message = as_message(load_payload("update_message_group_mention.json"))
    assert addressed_to_bot(message, BOT)
    assert without_mentions(message, BOT) == "I forgot my password"


def test_a_mention_after_an_emoji_is_found_by_its_utf16_offset() -> None:
    message = as_message(text_message(BOB, "😀😀 help @fake_test_bot please", chat=FIELD_GROUP))
    assert addressed_to_bot(message, BOT)
    assert without_mentions(message, BOT) == "😀😀 help please"


def test_group_talk_that_neither_mentions_nor_replies_to_the_bot_is_not_for_it() -> None:
    other_bot = text_message(BOB, "ask @another_bot instead", chat=FIELD_GROUP)
    other_bot["message"]["entities"] = [{"offset": 4, "length": 12, "type": "mention"}]
    assert not addressed_to_bot(as_message(other_bot), BOT)
    assert not addressed_to_bot(as_message(text_message(BOB, "lunch?", chat=FIELD_GROUP)), BOT)


def test_a_reply_to_the_bot_is_for_it() -> None:
    bot_message = {
        "message_id": 1500,
        "from": load_payload("get_me.json"),
        "chat": FIELD_GROUP,
        "date": 1795751117,
        "text": "Hello",
    }
    reply = text_message(BOB, "thanks, and another thing", chat=FIELD_GROUP, reply_to=bot_message)
    assert addressed_to_bot(as_message(reply), BOT)


def test_an_update_becomes_an_incoming_with_a_per_bot_event_key() -> None:
    update = text_message(ALICE, "hi")
    update["update_id"] = 500000042
    update["message"]["message_id"] = 1001
    parsed = Update.de_json(update, None)
    assert parsed.effective_user is not None
    assert parsed.effective_chat is not None
    incoming = incoming_from(parsed, BOT.id, parsed.effective_user, parsed.effective_chat)
    assert incoming.event_key == f"telegram:{BOT.id}:500000042"
    assert incoming.sender.identity == f"telegram:{ALICE.id}"
    assert incoming.sender.display_name == "Alice Example"
    assert incoming.sender.language == "en"
    assert incoming.reply_to.chat_id == str(ALICE.id)
    assert incoming.reply_to.thread_id is None  # private chat: no need to reply to a message


def test_in_a_group_later_notices_reply_to_the_question() -> None:
    update = text_message(BOB, "@fake_test_bot help", chat=FIELD_GROUP)
    update["update_id"] = 500000043
    update["message"]["message_id"] = 2002
    parsed = Update.de_json(update, None)
    assert parsed.effective_user is not None
    assert parsed.effective_chat is not None
    incoming = incoming_from(parsed, BOT.id, parsed.effective_user, parsed.effective_chat)
    assert incoming.reply_to.thread_id == "2002"


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/file/bot"),
        ("https://proxy.example.org/tg", "https://proxy.example.org/tg/file/"),
    ],
)
def test_the_file_url_sits_beside_the_api_url(api_url: str, expected: str) -> None:
    assert file_url(api_url) == expected


@pytest.mark.parametrize("secret", [None, "", "has spaces", "x" * 257, "ünïcode"])
def test_webhook_mode_needs_a_valid_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        TelegramSettings(
            token=SecretStr("123456789:AAbcdefghijklmnopqrstuvwxyz012345678"),
            webhook_url="https://bot.example.org/telegram",
            webhook_secret=SecretStr(secret) if secret is not None else None,
        )


def test_polling_mode_needs_no_secret() -> None:
    settings = TelegramSettings(token=SecretStr("123456789:AAbcdefghijklmnopqrstuvwxyz012345678"))
    assert settings.webhook_port == 8443
    assert settings.webhook_host == "0.0.0.0"
