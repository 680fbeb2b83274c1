"""Whether a Telegram user is in a staff group, asked of Telegram (getChatMember)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

log = logging.getLogger("supportbot.telegram")

LOOKUP_TIMEOUT = 15.0  # seconds; a click waits this long at most for Telegram's answer
# Restricted, left and banned members are not staff, whatever else they may still do.
STAFF_STATUSES = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)


@dataclass(frozen=True)
class _Binding:
    bot: Bot
    loop: asyncio.AbstractEventLoop


class TelegramMembership:
    """Implements the core's `MembershipLookup`, usable between `bind` and `unbind` (while the
    bot runs). The desk calls it from worker threads; the question runs on the bot's loop."""

    def __init__(self, *, timeout: float = LOOKUP_TIMEOUT) -> None:
        self._timeout = timeout
        self._binding: _Binding | None = None

    def bind(self, bot: Bot, loop: asyncio.AbstractEventLoop) -> None:
        self._binding = _Binding(bot, loop)

    def unbind(self) -> None:
        self._binding = None

    def is_member(self, user_id: str, chat_id: str) -> bool | None:
        binding = self._binding
        if binding is None:
            log.warning("Telegram membership of %s in %s: the bot is not running", user_id, chat_id)
            return None
        if not user_id.isdigit():
            return False  # not a Telegram user id: nobody Telegram could vouch for
        if _running_on(binding.loop):
            # Waiting here for the loop would wait for ourselves (the desk runs off the loop).
            log.error("Telegram membership asked on the bot's own event loop; refused")
            return None
        return self._ask(binding, int(user_id), chat_id)

    def _ask(self, binding: _Binding, user_id: int, chat_id: str) -> bool | None:
        question = binding.bot.get_chat_member(chat_ref(chat_id), user_id)
        try:
            future = asyncio.run_coroutine_threadsafe(question, binding.loop)
        except RuntimeError:  # the loop closed as the bot stopped
            question.close()
            return None
        try:
            member = future.result(self._timeout)
        except TimeoutError:
            future.cancel()
            log.error("Telegram getChatMember (%s in %s) timed out", user_id, chat_id)
            return None
        except TelegramError as error:
            log.error("Telegram getChatMember (%s in %s) failed: %s", user_id, chat_id, error)
            return None
        return member.status in STAFF_STATUSES


def chat_ref(chat_id: str) -> int | str:
    """Numeric ids as numbers; `@channelname` stays a name."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _running_on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
