"""What people do in the Telegram tests, as steps: ask, press a button, get a request logged."""

from __future__ import annotations

import re
from typing import Any

from tests.adapters.telegram.builders import (
    L1_GROUP,
    TgUser,
    button_data,
    button_press,
    buttons,
    text_message,
)
from tests.adapters.telegram.conftest import RunningBot, wait_for
from tests.adapters.telegram_standin import Call

REF = re.compile(r"\b(SR-[0-9]+)\b")


def has_suggestions(message: dict[str, Any]) -> bool:
    return any(data.startswith("n:") for data in button_data(message))


def press(bot: RunningBot, user: TgUser, message: dict[str, Any], label: str) -> Call:
    """Press the button labelled `label` and wait until the bot has answered the press."""
    return press_data(bot, user, message, buttons(message)[label])


def press_data(bot: RunningBot, user: TgUser, message: dict[str, Any], data: str) -> Call:
    """Press the button that carries `data` (whatever its label's language)."""
    assert data in button_data(message), (data, button_data(message))
    update = button_press(user, message, data)
    bot.api.push(update)
    query_id = update["callback_query"]["id"]
    calls = wait_for(
        lambda: bot.api.calls_to("answerCallbackQuery", callback_query_id=query_id),
        what=f"the press on {data!r} to be answered",
    )
    return calls[0]


def ask(bot: RunningBot, user: TgUser, question: str) -> dict[str, Any]:
    """A private question; returns the message that carries the suggestion buttons."""
    before = len([m for m in bot.api.sent(user.id) if has_suggestions(m)])
    bot.api.push(text_message(user, question))

    def suggestions() -> dict[str, Any] | None:
        found = [m for m in bot.api.sent(user.id) if has_suggestions(m)]
        return found[before] if len(found) > before else None

    return wait_for(suggestions, what="suggestions")


def log_request(bot: RunningBot, user: TgUser, question: str) -> tuple[str, dict[str, Any]]:
    """Ask, say none of the suggestions helped; returns the reference and the L1 ping."""
    suggestions = ask(bot, user, question)
    none_helped = next(data for data in button_data(suggestions) if data.startswith("n:"))
    press_data(bot, user, suggestions, none_helped)
    logged = bot.wait_for_message(user.id, lambda m: bool(REF.search(m["text"])), "the reference")
    found = REF.search(logged["text"])
    assert found is not None, logged["text"]
    ref = found.group(1)
    ping = bot.wait_for_message(L1_GROUP, lambda m: ref in m["text"], "the L1 ping")
    wait_for(lambda: bot.remembers(ping), what="the ping to be recorded")
    return ref, ping


def current(bot: RunningBot, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it is now, after the bot's edits."""
    return bot.api.message(message["chat"]["id"], message["message_id"])
