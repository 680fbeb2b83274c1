"""CPU of the event loop per Bot API call: PTB's own HTTP client beside the bot's (aiohttp).

    .venv/bin/python -m bench.telegram_send [--sends 2400] [--rounds 3]

Each client sends the bot's answer to a question from the bundled KB (suggestions rendered as
the bot renders them: a few kilobytes of HTML and the keyboard) to the local Bot API stand-in,
from 16 tasks at once, as the bot does under load. What is measured is the CPU time of the event
loop's thread only (time.thread_time), which is what bounds a bot's throughput: the stand-in runs
on other threads. PTB's client is built as `Application.builder()` builds it, with the pool of 8
connections the bot uses. This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import BaseRequest, HTTPXRequest

from bench.telegram_flow import QUESTIONS
from bot.core.outgoing import ArticleChoice, SuggestionsReply
from bot.telegram.http import AiohttpRequest
from bot.telegram.platform import CONNECTION_POOL_SIZE, POOL_TIMEOUT
from bot.telegram.render import TelegramMessage, render_reply
from kb_index.knowledge_base import KbSuggester
from kb_index.loader import bundled_kb_path, load_kb
from kb_index.search import SearchIndex
from tests.adapters.telegram_standin import BotApiStandIn

SENDERS = 16
CLIENTS: dict[str, Callable[[], BaseRequest]] = {
    "PTB's client (httpx, form body)": lambda: HTTPXRequest(
        connection_pool_size=CONNECTION_POOL_SIZE, pool_timeout=POOL_TIMEOUT, http_version="1.1"
    ),
    "supportbot's client (aiohttp, JSON body)": lambda: AiohttpRequest(
        connection_pool_size=CONNECTION_POOL_SIZE, pool_timeout=POOL_TIMEOUT
    ),
}


def typical_answer() -> TelegramMessage:
    """The suggestions for the Telegram bench's second question, as the bot sends them."""
    kb = load_kb(bundled_kb_path())
    suggester = KbSuggester(SearchIndex.build(kb.articles, synonyms=kb.synonyms), min_score=20.0)
    matches = suggester.suggest(QUESTIONS[1], language="en", limit=3)
    articles = tuple(
        ArticleChoice(m.article_id, m.title, m.excerpt, m.url, m.language, m.body) for m in matches
    )
    reply = SuggestionsReply(4242, "These articles may help:", articles, "This solved it", "None")
    messages = render_reply(reply)
    return messages[-1]


async def loop_cpu_per_send(
    request: BaseRequest, api: BotApiStandIn, message: TelegramMessage, sends: int
) -> float:
    """Milliseconds of the event loop thread's CPU per sendMessage."""
    bot = Bot(api.token, base_url=api.api_url, request=request)
    await request.initialize()
    try:

        async def sender(chat: int, count: int) -> None:
            for _ in range(count):
                await bot.send_message(
                    chat, message.html, parse_mode=ParseMode.HTML, reply_markup=message.keyboard
                )

        await asyncio.gather(*(sender(1000 + n, 10) for n in range(SENDERS)))  # warm up
        started = time.thread_time()
        await asyncio.gather(*(sender(1000 + n, sends // SENDERS) for n in range(SENDERS)))
        return (time.thread_time() - started) * 1000 / (sends // SENDERS * SENDERS)
    finally:
        await request.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=2400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    message = typical_answer()
    size = len(message.html.encode())
    results: dict[str, list[float]] = {name: [] for name in CLIENTS}
    for _ in range(args.rounds):  # alternated: the machine's speed drifts
        for name, make in CLIENTS.items():
            with BotApiStandIn() as api:
                results[name].append(
                    asyncio.run(loop_cpu_per_send(make(), api, message, args.sends))
                )
    print(
        f"\n{args.sends} sendMessage calls of a {size:,}-byte answer with its keyboard, "
        f"{SENDERS} at once, median of {args.rounds} alternated rounds\n"
    )
    print("| client | event-loop CPU ms per message | rounds |")
    print("|---|---:|---|")
    for name, values in results.items():
        rounds = ", ".join(f"{value:.2f}" for value in values)
        print(f"| {name} | {statistics.median(values):.2f} | {rounds} |")


if __name__ == "__main__":
    main()
