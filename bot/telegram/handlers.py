"""The bot's PTB handlers: commands, messages, redeliveries and errors; buttons are in buttons.py."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from telegram import Chat, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address, PostedMessage
from bot.telegram.buttons import ButtonHandlers, answer_query
from bot.telegram.conversation import Context, Conversation, TelegramApplication
from bot.telegram.intake import (
    PLATFORM,
    addressed_to_bot,
    event_key,
    is_private,
    person_of,
    without_mentions,
)
from bot.telegram.render import language_keyboard, render_text, site_keyboard

log = logging.getLogger("supportbot.telegram")
RECENT_UPDATES = 10_000  # update keys remembered in memory to drop quick redeliveries cheaply


class TelegramHandlers(Conversation):
    """Everything the bot does with an update; `register` adds it to an application."""

    def __init__(self, desk: SupportDesk) -> None:
        super().__init__(desk)
        self._recent: OrderedDict[str, None] = OrderedDict()

    def register(self, application: TelegramApplication) -> None:
        application.add_handler(TypeHandler(Update, self.drop_redelivered), group=-1)
        for name, callback in (
            ("start", self.start),
            ("help", self.help),
            ("status", self.status),
            ("language", self.choose_language),
            ("site", self.choose_site),
        ):
            application.add_handler(CommandHandler(name, callback))
        application.add_handler(CallbackQueryHandler(ButtonHandlers(self.desk).on_button))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.on_text))
        # Someone typing a command the bot does not know, in private, gets the list of commands.
        application.add_handler(
            MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, self.help)
        )
        application.add_error_handler(self.on_error)

    async def drop_redelivered(self, update: Update, context: Context) -> None:
        """Quick redeliveries (a webhook retried, a poll repeated) stop here; older ones are
        caught by the desk, which records every event key in the register."""
        key = event_key(context.bot.id, update)
        if key in self._recent:
            log.info("ignoring redelivered update %s", key)
            raise ApplicationHandlerStop
        self._recent[key] = None
        if len(self._recent) > RECENT_UPDATES:
            self._recent.popitem(last=False)

    # Commands

    async def start(self, update: Update, context: Context) -> None:
        """Welcome, with buttons to choose a language and (when there are several) a site."""
        incoming, chat, message = self.event(update, context)
        if incoming is None or chat is None:
            return
        language = await self.language(incoming)
        config = self.desk.deps.config
        first_name = update.effective_user.first_name if update.effective_user else ""
        welcome = self.text("telegram.welcome", language, name=first_name)
        await self.send(chat, message, render_text(welcome, language_keyboard(config.languages)))
        if config.sites:
            pick = self.text("telegram.choose_site", language)
            await self.send(chat, message, render_text(pick, site_keyboard(config.sites)))

    async def help(self, update: Update, context: Context) -> None:
        incoming, chat, message = self.event(update, context)
        if incoming is None or chat is None:
            return
        mention = f"@{context.bot.username}"
        text = self.text("telegram.help", await self.language(incoming), mention=mention)
        await self.send(chat, message, render_text(text))

    async def status(self, update: Update, context: Context) -> None:
        incoming, chat, message = self.event(update, context)
        if incoming is not None and chat is not None:
            await self.reply(chat, message, await self.call(self.desk.status, incoming))

    async def choose_language(self, update: Update, context: Context) -> None:
        incoming, chat, message = self.event(update, context)
        if incoming is None or chat is None:
            return
        text = self.text("telegram.choose_language", await self.language(incoming))
        keyboard = language_keyboard(self.desk.deps.config.languages)
        await self.send(chat, message, render_text(text, keyboard))

    async def choose_site(self, update: Update, context: Context) -> None:
        incoming, chat, message = self.event(update, context)
        if incoming is None or chat is None:
            return
        sites = self.desk.deps.config.sites
        key = "telegram.choose_site" if sites else "telegram.no_sites"
        text = self.text(key, await self.language(incoming))
        await self.send(chat, message, render_text(text, site_keyboard(sites) if sites else None))

    # Messages

    async def on_text(self, update: Update, context: Context) -> None:
        """Private chats: every message is a question. Groups: only when the bot is mentioned
        or replied to. A reply to a ping or a notice goes to the request it is about."""
        incoming, chat, message = self.event(update, context)
        if incoming is None or chat is None or message is None or message.text is None:
            return
        me = context.bot.bot
        posted = await self._posted_replied_to(message, chat, context)
        if posted is not None:
            text = without_mentions(message, me)
            replies = await self.call(self.desk.answer_posted, incoming, posted, text)
        elif is_private(chat):
            replies = await self.call(self.desk.ask, incoming, message.text)
        elif addressed_to_bot(message, me):
            replies = await self.call(self.desk.ask, incoming, without_mentions(message, me))
        else:
            return
        await self.reply(chat, message, replies)

    async def _posted_replied_to(
        self, message: Message, chat: Chat, context: Context
    ) -> PostedMessage | None:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
            return None
        return await asyncio.to_thread(
            self.desk.posted_message, PLATFORM, str(chat.id), str(replied.message_id)
        )

    # Errors

    def _apology_language(self, user: User) -> str:
        """The person's chosen language, else their Telegram one, else the default. What failed
        may be the register itself: then their Telegram language, rather than no apology."""
        fallback = user.language_code or self.desk.deps.config.default_language
        try:
            incoming = Incoming(sender=person_of(user), reply_to=Address(PLATFORM, str(user.id)))
            return self.desk.deps.language_of(self.desk.preferences(incoming).sender)
        except Exception:  # already handling a failure: the apology must go out all the same
            log.warning("apologising in %s: the person's chosen language is unknown", fallback)
            return fallback

    async def on_error(self, update: object, context: Context) -> None:
        """One place for what went wrong: logged with its traceback, and the user gets a
        friendly apology instead of silence (never the exception's text)."""
        log.error("handling a Telegram update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_user is None:
            return
        language = await asyncio.to_thread(self._apology_language, update.effective_user)
        apology = self.text("error.apology", language)
        try:
            if update.callback_query is not None:
                await answer_query(update.callback_query, apology, alert=True)
            elif update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, apology)
        except TelegramError as error:
            log.warning("could not send the apology either: %s", error)
