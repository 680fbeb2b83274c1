"""The Telegram platform: a PTB application on its own thread and event loop, polling or webhook.

`run_polling()`/`run_webhook()` would own the process's signals and loop, so the application is
driven by hand (`async with application`, start, updater, and the reverse on stop).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, BaseRateLimiter, Defaults

from bot.core.desk import SupportDesk
from bot.telegram.conversation import TelegramApplication
from bot.telegram.handlers import TelegramHandlers
from bot.telegram.http import AiohttpRequest
from bot.telegram.membership import TelegramMembership
from bot.telegram.outlet import TelegramOutlet
from config.settings import TelegramSettings

log = logging.getLogger("supportbot.telegram")

# PTB 22 warns on every `RetryAfter.retry_after` read that it will become a `timedelta`; the
# outbox reads it as either (bot/dispatch.py), and no other time attribute is read here, so the
# bot opts in now, as PTB suggests (an operator's own setting wins).
os.environ.setdefault("PTB_TIMEDELTA", "true")

ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
POLL_TIMEOUT = 10  # seconds a getUpdates long poll may wait
CONCURRENT_UPDATES = 16  # updates handled at once; the desk runs them on worker threads
# Connections to the Bot API: 8 requests at once is ample for Telegram's 30 messages a second.
# A request waits up to POOL_TIMEOUT for a free one.
CONNECTION_POOL_SIZE = 8
POOL_TIMEOUT = 10.0  # seconds
RATE_LIMIT_RETRIES = 3  # a 429 is retried after its retry_after this many times
STARTUP_TIMEOUT = 60.0


def file_url(api_url: str) -> str:
    """Files live beside the methods: `…/bot` becomes `…/file/bot` (also on a self-hosted
    Bot API server)."""
    base = api_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("bot")] + "file/bot"
    return base + "/file/"


def default_rate_limiter() -> AIORateLimiter:
    """Telegram's flood limits (about 30 messages a second, 20 a minute per group), and a 429
    waited out and retried instead of failing."""
    return AIORateLimiter(max_retries=RATE_LIMIT_RETRIES)


def build_application(
    settings: TelegramSettings,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    concurrent_updates: int = CONCURRENT_UPDATES,
) -> TelegramApplication:
    if settings.token is None:
        raise ValueError("SUPPORTBOT_TELEGRAM__TOKEN is not set")
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        # Field users are often on slow, paid data: no link previews.
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    application: TelegramApplication = (
        Application.builder()
        .token(settings.token.get_secret_value())
        .base_url(settings.api_url)
        .base_file_url(file_url(settings.api_url))
        # Every call but the long poll goes through aiohttp (bot/telegram/http.py says why);
        # the long poll keeps PTB's client, over HTTP/1.1 (its default).
        .request(
            AiohttpRequest(connection_pool_size=CONNECTION_POOL_SIZE, pool_timeout=POOL_TIMEOUT)
        )
        .rate_limiter(rate_limiter or default_rate_limiter())
        .defaults(defaults)
        .concurrent_updates(concurrent_updates)
        .build()
    )
    return application


class TelegramPlatform:
    """`start` returns once the bot is connected (getMe answered, polling or webhook running)."""

    name = "telegram"

    def __init__(
        self,
        settings: TelegramSettings,
        *,
        rate_limiter: BaseRateLimiter[Any] | None = None,
        concurrent_updates: int = CONCURRENT_UPDATES,
    ) -> None:
        self.settings = settings
        self.outlet = TelegramOutlet(settings)
        self.membership = TelegramMembership()
        self._rate_limiter = rate_limiter
        self._concurrent_updates = concurrent_updates
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def start(self, desk: SupportDesk, health: Callable[[], bool]) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(desk,), name="telegram", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(STARTUP_TIMEOUT):
            raise TimeoutError(f"the Telegram bot did not start within {STARTUP_TIMEOUT:.0f} s")
        if self._failure is not None:
            raise RuntimeError(f"the Telegram bot could not start: {self._failure}")

    def membership_lookup(self) -> TelegramMembership:
        """Asks Telegram who is in a staff group, for the staff directory."""
        return self.membership

    @property
    def is_running(self) -> bool:
        alive = self._thread is not None and self._thread.is_alive()
        return alive and self._ready.is_set() and self._failure is None

    def stop(self) -> None:
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(STARTUP_TIMEOUT)

    def _run(self, desk: SupportDesk) -> None:
        try:
            asyncio.run(self._serve(desk))
        except Exception as error:
            log.exception("the Telegram bot stopped on an error")
            self._failure = error
        finally:
            self._ready.set()  # start() must never wait for a bot that died

    async def _serve(self, desk: SupportDesk) -> None:
        self._loop, self._stopping = asyncio.get_running_loop(), asyncio.Event()
        application = build_application(
            self.settings,
            rate_limiter=self._rate_limiter,
            concurrent_updates=self._concurrent_updates,
        )
        TelegramHandlers(desk).register(application)
        async with application:
            await application.start()
            try:
                self.membership.bind(application.bot, self._loop)  # before the first click
                await self._take_updates(application)
                self.outlet.bind(
                    application.bot,
                    self._loop,
                    desk.deps.catalogue,
                    desk.deps.config.staff_language,
                )
                log.info("Telegram bot @%s is connected", application.bot.username)
                self._ready.set()
                await self._stopping.wait()
            finally:
                self.outlet.unbind()
                self.membership.unbind()
                if application.updater is not None and application.updater.running:
                    await application.updater.stop()
                await application.stop()

    async def _take_updates(self, application: TelegramApplication) -> None:
        updater = application.updater
        if updater is None:
            raise RuntimeError("the application has no updater")
        settings = self.settings
        if not settings.webhook_url:
            await updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
            return
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await updater.start_webhook(
            listen=settings.webhook_host,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
