"""What every handler shares: the update as the desk sees it, desk calls, and sending replies.

The desk is synchronous (one database transaction per event), so every call goes through
`asyncio.to_thread`: the event loop keeps serving other chats meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Chat, Message, ReplyParameters, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.outgoing import Reply
from bot.telegram.intake import incoming_from, is_private
from bot.telegram.render import TelegramMessage, render_reply

Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]
TelegramApplication = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
Event = tuple[Incoming | None, Chat | None, Message | None]


class Conversation:
    """A desk and the ways to reach it from an update and answer in the chat."""

    def __init__(self, desk: SupportDesk) -> None:
        self.desk = desk

    def text(self, key: str, language: str, /, **params: object) -> str:
        return self.desk.deps.catalogue.text(key, language, **params)

    @staticmethod
    def event(update: Update, context: Context) -> Event:
        """Who wrote (None for bots and updates without a person), in which chat, which message."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or user.is_bot:
            return None, chat, update.effective_message
        return incoming_from(update, context.bot.id, user, chat), chat, update.effective_message

    async def language(self, incoming: Incoming) -> str:
        """The language to answer in: the person's choice, else their Telegram language."""
        personal = await asyncio.to_thread(self.desk.preferences, incoming)
        return self.desk.deps.language_of(personal.sender)

    @staticmethod
    async def call(handler: Callable[..., list[Reply]], *args: Any) -> list[Reply]:
        replies: list[Reply] = await asyncio.to_thread(handler, *args)
        return replies

    @classmethod
    async def reply(cls, chat: Chat, replying_to: Message | None, replies: Sequence[Reply]) -> None:
        messages = [message for reply in replies for message in render_reply(reply)]
        await cls.send(chat, replying_to, messages)

    @staticmethod
    async def send(
        chat: Chat, replying_to: Message | None, messages: Sequence[TelegramMessage]
    ) -> None:
        """In a group every answer is a reply to what it answers, so the asker finds it."""
        reply = None
        if replying_to is not None and not is_private(chat):
            reply = ReplyParameters(replying_to.message_id, allow_sending_without_reply=True)
        for message in messages:
            await chat.send_message(
                message.html, reply_markup=message.keyboard, reply_parameters=reply
            )
