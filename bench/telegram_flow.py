"""Telegram updates per second end to end in webhook mode: supportbot beside a bare PTB echo bot.

Both run in the same run of this script, against the local Bot API stand-in.

    .venv/bin/python -m bench.telegram_flow [--updates 1000] [--warm-up 200] [--senders 8] [--limiter off|telegram] [--rounds 3] [--echo-over-aiohttp]

"End to end" is: the update is POSTed to the bot's webhook (as Telegram does) → the bot handles
it → its last reply is recorded by the stand-in. For supportbot that is a question answered with
article suggestions (KB search, the register's transactions, HTML rendering, the keyboard); the
echo bot only sends the text back. Each bot runs in a process of its own (the stand-in and the
senders stay in this one), and the table also gives each process's CPU time per update, which
shows where the time goes. supportbot talks to the Bot API through aiohttp (bot/telegram/http.py)
where the bare bot uses PTB's own client; `--echo-over-aiohttp` adds a row for the echo bot over
supportbot's client, to tell the client's share from the rest. With `--limiter off` both bots
retry 429s but do not throttle, which measures what the code can do; with `--limiter telegram` both obey Telegram's flood limits
(about 30 messages a second), so both are capped by Telegram rather than by the code.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

from bot.runner import run_until_signalled
from bot.telegram.http import AiohttpRequest
from bot.telegram.platform import (
    CONCURRENT_UPDATES,
    CONNECTION_POOL_SIZE,
    TelegramPlatform,
    default_rate_limiter,
)
from config.settings import Settings, TelegramSettings
from tests.adapters.telegram_standin import BotApiStandIn

SECRET = "bench-secret_1"
Final = Callable[[dict[str, Any]], bool]  # whether a sendMessage is the last reply to an update
QUESTIONS = [
    "I forgot my password",
    "how do I export cases to excel",
    "my records do not sync after working offline",
    "how to add a photo to a case",
    "the dashboard shows wrong numbers",
    "how do I close a case",
    "I cannot log in with my organisation account",
    "how to create a new user",
]


@dataclass(frozen=True)
class Result:
    name: str
    updates: int
    seconds: float
    latencies: list[float]
    bot_cpu: float = 0.0  # seconds of CPU the bot's process used for these updates
    harness_cpu: float = 0.0  # the same for the stand-in and the senders (this process)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def rate_limiter(kind: str) -> AIORateLimiter:
    if kind == "telegram":
        return default_rate_limiter()
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def private_update(user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "User", "last_name": str(user_id)}
    chat = {"id": user_id, "first_name": "User", "last_name": str(user_id), "type": "private"}
    sender = {**user, "language_code": "en"}
    return {"message": {"from": sender, "chat": chat, "date": int(time.time()), "text": text}}


def drive(
    api: BotApiStandIn, name: str, count: int, senders: int, final: Final, first_user: int
) -> Result:
    """POST `count` updates from distinct users; wait until each one's last reply arrived."""
    users = range(first_user, first_user + count)
    updates = [private_update(user, QUESTIONS[user % len(QUESTIONS)]) for user in users]
    for update in updates:
        api.prepare(update)
    sent_at: dict[int, float] = {}

    def post(update: dict[str, Any]) -> None:
        sent_at[update["message"]["chat"]["id"]] = time.monotonic()
        status = api.post_to_webhook(update, SECRET)
        assert status == 200, status

    start, seen = time.monotonic(), len(api.calls)
    finished: dict[int, float] = {}
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(post, updates))
    while len(finished) < count:
        if time.monotonic() - start > 120:
            raise TimeoutError(f"{name}: not every update was answered")
        time.sleep(0.01)
        new, seen = api.calls[seen:], len(api.calls)  # read without the lock: a list only grows
        for call in new:
            chat = call.args.get("chat_id")
            answer = call.method == "sendMessage" and call.status == 200
            if answer and chat in sent_at and final(call.args):
                finished.setdefault(chat, call.at)
    seconds = max(finished.values()) - start
    latencies = [finished[chat] - sent_at[chat] for chat in finished]
    return Result(name, count, seconds, latencies)


def echo_reply(args: dict[str, Any]) -> bool:
    return True


def support_answer(args: dict[str, Any]) -> bool:
    """Suggestions end with the message that carries the buttons; a question nothing in the KB
    matches is answered with the reference of the request logged for it."""
    return "reply_markup" in args or "SR-" in str(args.get("text"))


def run_echo_bot(args: argparse.Namespace) -> None:
    """The baseline, in its own process: PTB's own webhook runner answering with the text
    (with role echo-aiohttp, through supportbot's Bot API client instead of PTB's)."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text:
            await update.message.reply_text(update.message.text)

    builder = (
        Application.builder()
        .token(args.token)
        .base_url(args.api_url)
        .rate_limiter(rate_limiter(args.limiter))
        .concurrent_updates(args.concurrency)
    )
    if args.role == "echo-aiohttp":
        builder.request(AiohttpRequest(connection_pool_size=CONNECTION_POOL_SIZE))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_webhook(
        listen="127.0.0.1",
        port=args.port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{args.port}/hook",
        secret_token=SECRET,
    )


def run_support_bot(args: argparse.Namespace) -> None:
    """The composition `supportbot run` starts (serve(), the desk, a SQLite register), in its
    own process, stopped by SIGTERM as in production."""
    telegram = TelegramSettings(
        token=SecretStr(args.token),
        api_url=args.api_url,
        webhook_url=f"http://127.0.0.1:{args.port}/telegram",
        webhook_secret=SecretStr(SECRET),
        webhook_host="127.0.0.1",
        webhook_port=args.port,
        l1_chat_id="-1001000000001",
    )
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{args.folder}/register.sqlite3",
        telegram=telegram,
    )
    platform = TelegramPlatform(
        telegram, rate_limiter=rate_limiter(args.limiter), concurrent_updates=args.concurrency
    )
    run_until_signalled(settings, [platform])


@contextmanager
def bot_process(
    role: str, api: BotApiStandIn, limiter: str, folder: str, concurrency: int
) -> Iterator[subprocess.Popen[bytes]]:
    """The bot in a process of its own, so that it does not share an interpreter lock with the
    stand-in and the load generator (Telegram's servers are elsewhere too)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.telegram_flow", "--role", role, "--token", api.token]
    command += ["--api-url", api.api_url, "--port", str(port), "--limiter", limiter]
    command += ["--folder", folder, "--concurrency", str(concurrency)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError("the bot did not start listening")


RUNS = [
    ("echo", "bare PTB echo bot", echo_reply),
    ("supportbot", "supportbot (question → suggestions or request)", support_answer),
]
ECHO_OVER_AIOHTTP = ("echo-aiohttp", "bare PTB echo bot over supportbot's client", echo_reply)


def measure(args: argparse.Namespace) -> list[Result]:
    """Both bots in turn, `--rounds` times (a shared machine is noisy); each bot's median run."""
    runs: dict[str, list[Result]] = {}
    bots = [*RUNS, ECHO_OVER_AIOHTTP] if args.echo_over_aiohttp else RUNS
    for _ in range(args.rounds):
        for role, name, final in bots:
            runs.setdefault(name, []).append(measure_once(args, role, name, final))
    return [sorted(results, key=lambda r: r.rate)[len(results) // 2] for results in runs.values()]


def measure_once(args: argparse.Namespace, role: str, name: str, final: Final) -> Result:
    with (
        tempfile.TemporaryDirectory() as folder,
        BotApiStandIn() as api,
        bot_process(role, api, args.limiter, folder, args.concurrency) as process,
    ):
        drive(api, "warm-up", args.warm_up, args.senders, final, first_user=8_000_000)
        bot_before, harness_before = cpu_seconds(process.pid), own_cpu_seconds()
        result = drive(api, name, args.updates, args.senders, final, first_user=7_000_000)
        bot_cpu = cpu_seconds(process.pid) - bot_before
        harness_cpu = own_cpu_seconds() - harness_before
        return replace(result, bot_cpu=bot_cpu, harness_cpu=harness_cpu)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads), from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    bare = results[0].rate
    print(
        f"\nwebhook mode, {args.updates} updates from {args.updates} users, {args.senders} "
        f"senders, limiter={args.limiter}, concurrent_updates={args.concurrency}, "
        f"CPUs={os.cpu_count()}, median of {args.rounds} alternating rounds\n"
    )
    print(
        "| bot | updates/s | p50 ms | p95 ms | bot CPU ms/update | harness CPU ms/update "
        "| share of bare |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {r.rate:.0f} | {r.percentile(0.5):.0f} | {r.percentile(0.95):.0f} "
            f"| {r.bot_cpu / r.updates * 1000:.1f} | {r.harness_cpu / r.updates * 1000:.1f} "
            f"| {r.rate / bare:.0%} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--limiter", choices=["off", "telegram"], default="off")
    parser.add_argument("--concurrency", type=int, default=CONCURRENT_UPDATES)
    parser.add_argument("--rounds", type=int, default=3)
    # Not measured: the first updates pay one-off costs (SQLAlchemy compiling its statements,
    # the KB's word memos, PTB's and httpx's first connections) that would weigh on a short run.
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument("--echo-over-aiohttp", action="store_true")
    parser.add_argument(
        "--role", choices=["echo", "echo-aiohttp", "supportbot"], help=argparse.SUPPRESS
    )
    for hidden in ("--token", "--api-url", "--folder"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role in ("echo", "echo-aiohttp"):
        run_echo_bot(args)
        return
    if args.role == "supportbot":
        run_support_bot(args)
        return
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    print_table(measure(args), args)


if __name__ == "__main__":
    main()
