"""The bot's Bot API client (aiohttp) under PTB's real Bot, over the network on 127.0.0.1:
what arrives at the Bot API, and what the bot sees when the Bot API is slow or gone."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram.http import AiohttpRequest
from tests.adapters.telegram_standin import BotApiStandIn, new_token

T = TypeVar("T")
CHAT = 5550101


def with_bot(api_url: str, token: str, request: AiohttpRequest) -> Callable[..., Any]:
    """Runs `use(bot)` on a fresh event loop with PTB's Bot over `request`, then shuts the
    client down. The Bot is not initialised (that would ask getMe first): each test's calls
    are the only ones made."""

    def run(use: Callable[[Bot], Awaitable[T]]) -> T:
        async def main() -> T:
            bot = Bot(token, base_url=api_url, request=request)
            await request.initialize()
            try:
                return await use(bot)
            finally:
                await request.shutdown()

        return asyncio.run(main())

    return run


def request(**timeouts: float) -> AiohttpRequest:
    return AiohttpRequest(connection_pool_size=2, **timeouts)


@contextmanager
def silent_server() -> Iterator[str]:
    """A Bot API that accepts connections and never answers; yields its base URL."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/bot"


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/bot"


def test_a_message_arrives_with_its_text_buttons_and_reply_as_sent() -> None:
    text = "<b>1. إعادة تعيين كلمة المرور</b>\nOpen « Cases » &amp; tap ✓ — 100%"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✓ 1 تم الحل", callback_data="s:7:0")]])
    with BotApiStandIn() as api:
        run = with_bot(api.api_url, api.token, request())

        async def ask(bot: Bot) -> tuple[int, int]:
            first = await bot.send_message(CHAT, "question", parse_mode="HTML")
            reply = ReplyParameters(first.message_id)
            answer = await bot.send_message(
                CHAT, text, parse_mode="HTML", reply_markup=keyboard, reply_parameters=reply
            )
            return first.message_id, answer.message_id

        first_id, answer_id = run(ask)

    sent = api.calls_to("sendMessage", chat_id=CHAT)[-1]
    assert sent.args["text"] == text
    assert sent.args["reply_markup"] == keyboard.to_dict()
    assert sent.args["reply_parameters"]["message_id"] == first_id
    assert answer_id == first_id + 1


def test_the_bot_api_refusing_a_message_is_telegrams_error_not_a_network_one() -> None:
    with BotApiStandIn() as api:
        api.fail("sendMessage", 400, "Bad Request: chat not found")
        run = with_bot(api.api_url, api.token, request())

        async def send(bot: Bot) -> None:
            await bot.send_message(CHAT, "hello")

        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            run(send)


def test_a_bot_api_that_does_not_answer_times_out_at_the_read_timeout() -> None:
    with silent_server() as url:
        run = with_bot(url, new_token(1), request(read_timeout=0.3))

        async def get_me(bot: Bot) -> None:
            await bot.get_me()

        started = time.monotonic()
        with pytest.raises(TimedOut):
            run(get_me)
    assert time.monotonic() - started < 5


def test_an_unreachable_bot_api_is_a_network_error_that_does_not_quote_the_token() -> None:
    token = new_token(1)
    run = with_bot(closed_port_url(), token, request(connect_timeout=2))

    async def get_me(bot: Bot) -> None:
        await bot.get_me()

    with pytest.raises(NetworkError) as failed:
        run(get_me)
    assert not isinstance(failed.value, TimedOut)
    assert token not in str(failed.value)
    assert token.split(":")[1] not in str(failed.value)


def test_a_request_waits_for_a_free_connection_only_as_long_as_the_pool_timeout() -> None:
    with silent_server() as url:
        one_connection = AiohttpRequest(
            connection_pool_size=1, pool_timeout=0.3, connect_timeout=0.3, read_timeout=3
        )
        run = with_bot(url, new_token(1), one_connection)

        async def two_at_once(bot: Bot) -> float:
            hanging = asyncio.create_task(bot.get_me())
            await asyncio.sleep(0.1)  # the first call holds the only connection
            started = time.monotonic()
            with pytest.raises(TimedOut):
                await bot.get_me()
            waited = time.monotonic() - started
            hanging.cancel()
            return waited

        waited = run(two_at_once)
    assert waited < 2.5  # not the first call's 3-second read timeout


def test_the_client_works_again_after_a_timeout() -> None:
    with BotApiStandIn() as api:
        run = with_bot(api.api_url, api.token, request(read_timeout=2))

        async def after_a_timeout(bot: Bot) -> int:
            with pytest.raises(TimedOut):
                await bot.send_message(CHAT, "slow", read_timeout=0.000_001)
            message = await bot.send_message(CHAT, "hello again")
            return message.message_id

        assert run(after_a_timeout) > 0
    assert [call.args["text"] for call in api.calls_to("sendMessage")][-1] == "hello again"


def test_an_upload_is_sent_as_a_file() -> None:
    with BotApiStandIn() as api:
        run = with_bot(api.api_url, api.token, request())

        async def upload(bot: Bot) -> str | None:
            message = await bot.send_document(CHAT, b"case export\n", filename="export.csv")
            return message.document.file_name if message.document else None

        assert run(upload) == "export.csv"
    document = api.calls_to("sendDocument", chat_id=CHAT)[0].args["document"]
    assert document == {"filename": "export.csv", "content": b"case export\n"}


def test_an_operators_proxy_carries_the_bot_api_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that reaches the internet only through a proxy: HTTP_PROXY is honoured. The
    stand-in plays the proxy (it reads the path of the absolute URL a proxy is sent); the Bot
    API's own host does not resolve, so only the proxy can have carried the message."""
    with BotApiStandIn() as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{urlsplit(proxy.api_url).port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        run = with_bot("http://api.telegram.invalid/bot", proxy.token, request())

        async def send(bot: Bot) -> int:
            return (await bot.send_message(CHAT, "through the proxy")).message_id

        assert run(send) > 0
    assert [call.args["text"] for call in proxy.calls_to("sendMessage")] == ["through the proxy"]
