"""Notifications on Telegram: pings to the staff groups, their updates, notices to requesters.

The router calls these methods from its delivery thread; each one runs its PTB coroutine on the
bot's event loop and waits for the result, so pings never hold up a requester's answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Bot, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden

from bot.core.model import Level, PostedMessage
from bot.core.outgoing import PingView, RequesterNotice
from bot.core.ports import Catalogue
from bot.core.routing import Posted, RecipientUnreachable
from bot.telegram.intake import PLATFORM
from bot.telegram.render import TelegramMessage, render_ping, render_text
from config.settings import TelegramSettings

log = logging.getLogger("supportbot.telegram")
T = TypeVar("T")
DELIVERY_TIMEOUT = 120.0  # seconds; the rate limiter may hold a busy group's message this long


@dataclass(frozen=True)
class _Binding:
    bot: Bot
    loop: asyncio.AbstractEventLoop
    catalogue: Catalogue
    staff_language: str


class TelegramOutlet:
    """The router's way onto Telegram; usable between `bind` (the bot is up) and `unbind`."""

    platform = PLATFORM

    def __init__(self, settings: TelegramSettings, *, timeout: float = DELIVERY_TIMEOUT) -> None:
        self._chats = {
            Level.L1: settings.l1_chat_id,
            Level.L2: settings.l2_chat_id,
            Level.L3: settings.l3_chat_id,
        }
        self._timeout = timeout
        self._binding: _Binding | None = None

    def bind(
        self,
        bot: Bot,
        loop: asyncio.AbstractEventLoop,
        catalogue: Catalogue,
        staff_language: str,
    ) -> None:
        self._binding = _Binding(bot, loop, catalogue, staff_language)

    def unbind(self) -> None:
        self._binding = None

    def destinations(self, level: Level) -> Sequence[str]:
        chat = self._chats[level]
        return [chat] if chat else []

    def post_ping(self, chat_id: str, view: PingView) -> Posted:
        message = self._ping_message(view)
        sent = self._run(
            lambda bot: bot.send_message(
                _chat(chat_id), message.html, reply_markup=message.keyboard
            )
        )
        return _posted(sent)

    def update_ping(self, posted: PostedMessage, view: PingView) -> None:
        """Edit the ping to show the request as it is now (and only the buttons that apply);
        Telegram refuses an edit that changes nothing, which is fine here."""
        message = self._ping_message(view)
        try:
            self._run(
                lambda bot: bot.edit_message_text(
                    message.html,
                    chat_id=_chat(posted.chat_id),
                    message_id=int(posted.message_id),
                    reply_markup=message.keyboard,
                )
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise

    def send_notice(self, notice: RequesterNotice) -> Posted | None:
        """To the requester where they asked; in a group as a reply to their question. The last
        part is remembered, so that answering it reaches the staff."""
        reply_to = notice.to.thread_id
        try:
            sent = self._send_all(notice.to.chat_id, render_text(notice.text), reply_to)
        except Forbidden as error:
            raise RecipientUnreachable(str(error)) from error
        return _posted(sent[-1]) if sent else None

    def post_in_thread(self, posted: PostedMessage, text: str) -> None:
        """The requester's answer, as a reply to the ping staff answered from."""
        binding = self._bound()
        line = binding.catalogue.text(
            "ping.answer", binding.staff_language, ref=posted.ref, text=text
        )
        self._send_all(posted.chat_id, render_text(line), posted.message_id)

    def _ping_message(self, view: PingView) -> TelegramMessage:
        binding = self._bound()
        return render_ping(
            view, binding.catalogue.text("telegram.ping_hint", binding.staff_language)
        )

    def _send_all(
        self, chat_id: str, messages: list[TelegramMessage], reply_to: str | None
    ) -> list[Message]:
        reply = None
        if reply_to is not None:
            reply = ReplyParameters(int(reply_to), allow_sending_without_reply=True)

        async def send(bot: Bot) -> list[Message]:
            return [
                await bot.send_message(
                    _chat(chat_id), m.html, reply_markup=m.keyboard, reply_parameters=reply
                )
                for m in messages
            ]

        return self._run(send)

    def _bound(self) -> _Binding:
        if self._binding is None:
            raise RuntimeError("the Telegram bot is not running")
        return self._binding

    def _run(self, call: Callable[[Bot], Coroutine[Any, Any, T]]) -> T:
        binding = self._bound()
        future = asyncio.run_coroutine_threadsafe(call(binding.bot), binding.loop)
        try:
            return future.result(self._timeout)
        except TimeoutError:
            future.cancel()
            raise


def _chat(chat_id: str) -> int | str:
    """Numeric ids as numbers; `@channelname` stays a name."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _posted(message: Message) -> Posted:
    return Posted(chat_id=str(message.chat.id), message_id=str(message.message_id))
