"""Inline button presses: suggestion feedback, staff actions on pings, language and site choices."""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, Chat, Message, Update
from telegram.error import BadRequest

from bot.core.incoming import Incoming
from bot.core.outgoing import TextReply
from bot.telegram.callbacks import (
    LanguageChoice,
    NoneHelped,
    SiteChoice,
    Solved,
    StaffClick,
    decode,
)
from bot.telegram.conversation import Context, Conversation
from bot.telegram.intake import is_private

log = logging.getLogger("supportbot.telegram")
ANSWER_LIMIT = 200  # characters Telegram shows in a callback answer


class ButtonHandlers(Conversation):
    async def on_button(self, update: Update, context: Context) -> None:
        """Every press is answered (answerCallbackQuery), or the user's app keeps spinning."""
        query = update.callback_query
        if query is None:
            return
        incoming, chat, _ = self.event(update, context)
        choice = decode(query.data)
        if incoming is None or chat is None or choice is None:
            await answer_query(query)
        elif isinstance(choice, Solved | NoneHelped):
            await self._feedback(query, chat, incoming, choice)
        elif isinstance(choice, StaffClick):
            await self._staff_action(query, incoming, choice)
        else:
            await self._preference(query, chat, incoming, choice)

    async def _feedback(
        self, query: CallbackQuery, chat: Chat, incoming: Incoming, choice: Solved | NoneHelped
    ) -> None:
        message = message_of(query)
        asker = _asker(message, chat)
        if asker is not None and asker != query.from_user.id:
            refusal = self.text("telegram.not_your_suggestions", await self.language(incoming))
            await answer_query(query, refusal, alert=True)
            return
        article_id: str | None = None
        if isinstance(choice, Solved):
            shown = await asyncio.to_thread(self.desk.suggested_ids, choice.inquiry_id)
            article_id = shown[choice.index] if 0 <= choice.index < len(shown) else ""
        replies = await self.call(self.desk.give_feedback, incoming, choice.inquiry_id, article_id)
        await answer_query(query)
        if message is not None and asker is not None:
            await _remove_buttons(message)
        await self.reply(chat, message, replies)

    async def _staff_action(
        self, query: CallbackQuery, incoming: Incoming, click: StaffClick
    ) -> None:
        """The outcome shows as a short notice to the one who pressed; the ping itself is
        edited by the delivery of the change, for everyone in the group."""
        actions = {
            "claim": self.desk.claim,
            "resolve": self.desk.resolve,
            "escalate": self.desk.escalate,
        }
        replies = await self.call(actions[click.verb], incoming, click.ref)
        text = " ".join(reply.text for reply in replies if isinstance(reply, TextReply))
        await answer_query(query, text)

    async def _preference(
        self,
        query: CallbackQuery,
        chat: Chat,
        incoming: Incoming,
        choice: LanguageChoice | SiteChoice,
    ) -> None:
        await answer_query(query)
        if isinstance(choice, LanguageChoice):
            replies = await self.call(self.desk.set_language, incoming, choice.code)
        else:
            sites = self.desk.deps.config.sites
            site = sites[choice.index] if 0 <= choice.index < len(sites) else str(choice.index)
            replies = await self.call(self.desk.set_site, incoming, site)
        await self.reply(chat, message_of(query), replies)


def message_of(query: CallbackQuery) -> Message | None:
    """The message under the button; None when Telegram no longer shows it to the bot."""
    return query.message if isinstance(query.message, Message) else None


def _asker(message: Message | None, chat: Chat) -> int | None:
    """Who may answer suggestions: in a private chat its user; in a group the author of the
    question the suggestions reply to (None if Telegram did not include it)."""
    if is_private(chat):
        return chat.id
    question = message.reply_to_message if message is not None else None
    if question is None or question.from_user is None:
        return None
    return question.from_user.id


async def answer_query(query: CallbackQuery, text: str = "", *, alert: bool = False) -> None:
    """Answer a press. A query already too old to answer (a redelivered update) is not an
    error worth an apology."""
    if len(text) > ANSWER_LIMIT:
        text = text[: ANSWER_LIMIT - 1] + "…"
    try:
        await query.answer(text or None, show_alert=alert)
    except BadRequest as error:
        log.warning("could not answer a button press: %s", error)


async def _remove_buttons(message: Message) -> None:
    """After a choice the buttons go, so the same suggestions cannot be answered twice."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
