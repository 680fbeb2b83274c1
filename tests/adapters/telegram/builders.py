"""Realistic Telegram updates for the tests, made from the recorded payloads in tests/payloads."""

from __future__ import annotations

import copy
import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

from tests.adapters.telegram_standin import load_payload

_query_ids = itertools.count(6658260273964005025)


@dataclass(frozen=True)
class TgUser:
    id: int
    first_name: str
    last_name: str
    username: str
    language_code: str = "en"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }

    def private_chat(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "type": "private",
        }


ALICE = TgUser(111111111, "Alice", "Example", "alice_example")  # a field user
BOB = TgUser(666666666, "Bob", "Field", "bob_field")  # a field user in a group
LINA = TgUser(222222222, "Lina", "Admin", "lina_l1")  # L1 site administrator
CARLOS = TgUser(333333333, "Carlos", "Coord", "carlos_l2")  # L2 coordinator
DEV = TgUser(444444444, "Dana", "Dev", "dana_l3")  # L3 developer
MALLORY = TgUser(555555555, "Mallory", "Nobody", "mallory")  # nobody's staff

L1_GROUP, L2_GROUP, L3_GROUP = -1001000000001, -1001000000002, -1001000000003
FIELD_GROUP: dict[str, Any] = {
    "id": -1001234567890,
    "title": "Field office helpdesk",
    "type": "supergroup",
}


def group_chat(chat_id: int, title: str) -> dict[str, Any]:
    return {"id": chat_id, "title": title, "type": "supergroup"}


def text_message(
    user: TgUser,
    text: str,
    *,
    chat: dict[str, Any] | None = None,
    reply_to: dict[str, Any] | None = None,
    bot_username: str = "fake_test_bot",
) -> dict[str, Any]:
    """A user's message (private chat unless `chat`), with the entities Telegram would add:
    a leading command and @mentions of the bot."""
    template = "update_command.json" if text.startswith("/") else "update_message_private.json"
    update = load_payload(template)
    del update["update_id"]
    message = update["message"]
    del message["message_id"]  # the stand-in numbers messages per chat, as Telegram does
    message.update(
        {
            "from": user.as_json(),
            "chat": chat or user.private_chat(),
            "date": int(time.time()),
            "text": text,
        }
    )
    entities = _entities(text, bot_username)
    if entities:
        message["entities"] = entities
    if reply_to is not None:
        message["reply_to_message"] = _without_reply(reply_to)
    return update


def button_press(user: TgUser, message: dict[str, Any], data: str) -> dict[str, Any]:
    """A press on one of the bot's buttons: Telegram sends the whole message it was under."""
    update = load_payload("update_callback_query.json")
    del update["update_id"]
    query = update["callback_query"]
    query.update(
        {
            "id": str(next(_query_ids)),
            "from": user.as_json(),
            "message": _public(message),
            "data": data,
        }
    )
    return update


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """callback_data by button label."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


def button_data(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


def _entities(text: str, bot_username: str) -> list[dict[str, Any]]:
    found = []
    command = re.match(r"/\w+(@\w+)?", text)
    if command:
        found.append({"offset": 0, "length": len(command.group(0)), "type": "bot_command"})
    for mention in re.finditer(rf"@{bot_username}\b", text):
        offset = len(text[: mention.start()].encode("utf-16-le")) // 2
        found.append({"offset": offset, "length": len(mention.group(0)), "type": "mention"})
    return found


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    # Telegram nests only one level of reply_to_message.
    return {k: v for k, v in _public(message).items() if k != "reply_to_message"}


def _public(message: dict[str, Any]) -> dict[str, Any]:
    """What Telegram sends of a message: without the stand-in's own bookkeeping (`_html`)."""
    clean = {k: copy.deepcopy(v) for k, v in message.items() if not k.startswith("_")}
    if "reply_to_message" in clean:
        clean["reply_to_message"] = _public(clean["reply_to_message"])
    return clean
