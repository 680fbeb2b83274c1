"""Faults against the notification outbox: Slack unreachable for a while, a storm of Telegram
429s, and the bot killed with SIGKILL in the middle of dispatching. After recovery every ping
and requester message recorded in the register must have reached its platform.

    .venv/bin/python -m bench.faults [--requests 10] [--scenario all|slack_down|telegram_429|sigkill]

Requests are logged through the desk in this process, which (like `supportbot sla sweep`) only
writes the outbox; `supportbot run` in a child process delivers them to the local stand-ins of
the Slack Web API and the Telegram Bot API. Telegram's flood limits (about 20 messages a minute
in a group, kept by PTB's rate limiter) make a run take minutes, not the faults. Per request: an L1 ping on each platform, an
escalation (updates of those pings, an L2 ping on each platform) and a notice to the requester,
so 4 pings and 1 message. Counts per scenario: delivered (the stand-in holds it), lost (it
does not), duplicated (it holds it more than once); from the outbox, attempts (every try of
every destination, 70 when nothing failed for 10 requests), failed (given up) and pending.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from bot.bootstrap import build_app, open_register
from bot.core.incoming import Incoming
from bot.core.model import Address, Person
from bot.core.outgoing import TextReply
from bot.sla_sweep import outbox_only
from config.settings import Settings
from register.outbox import OutboxCounts, SqlOutbox
from tests.adapters.slack_standin import SlackStandIn
from tests.adapters.standin_server import StandInServer
from tests.adapters.telegram_standin import BotApiStandIn

SLACK_L1, SLACK_L2 = "C0L1DESK01", "C0L2DESK01"
TG_L1, TG_L2 = -1001000000001, -1001000000002
STAFF_L1 = 900000001  # a Telegram L1 administrator, who escalates every request
FIRST_REQUESTER = 700000000
SYLLABLES = ("ka", "zu", "mir", "tel", "vo", "qua", "nesh", "rop", "lix", "dem", "gua", "fyo")


def no_match_question(n: int) -> str:
    """Words of no language, different for every n: nothing in the KB matches, so each is logged
    at once, and no two are alike, so they are separate requests rather than one incident."""
    rng = random.Random(n)
    words = ("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(5))
    return " ".join(words).capitalize()


BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SCENARIOS = ("slack_down", "telegram_429", "sigkill")


@dataclass(frozen=True)
class Counts:
    scenario: str
    requests: int
    pings: int  # expected: 4 a request
    messages: int  # expected: 1 a request
    delivered: int
    lost: int
    duplicated: int
    outbox: OutboxCounts

    def line(self) -> str:
        return (
            f"{self.scenario:<13} {self.requests:>8} {self.pings:>6} {self.messages:>8} "
            f"{self.delivered:>9} {self.lost:>5} {self.duplicated:>10} "
            f"{self.outbox.attempts:>8} {self.outbox.failed:>6} {self.outbox.pending:>7}"
        )


HEADER = (
    f"{'scenario':<13} {'requests':>8} {'pings':>6} {'messages':>8} {'delivered':>9} "
    f"{'lost':>5} {'duplicated':>10} {'attempts':>8} {'failed':>6} {'pending':>7}"
)


class SlackSwitch:
    """A proxy in front of the Slack stand-in that answers 503 while `down` (an outage)."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.down = False
        self._server = StandInServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def close(self) -> None:
        self._server.shutdown()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        switch = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, answer = switch.forward(self.path, dict(self.headers), body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_: object) -> None:
                pass

        return Handler

    def forward(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if self.down:
            return 503, {"Content-Type": "text/plain"}, b"service unavailable"
        url = self.target + "/" + path.removeprefix("/api/")
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "authorization")}
        request = urllib.request.Request(url, data=body, headers=keep, method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as answer:
                return answer.status, _kept(dict(answer.headers)), answer.read()
        except urllib.error.HTTPError as refused:
            return refused.code, _kept(dict(refused.headers)), refused.read()


def _kept(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() in ("content-type", "retry-after")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Rig:
    """The stand-ins, the Slack switch, and a register in a folder of its own."""

    slack: SlackStandIn
    api: BotApiStandIn
    switch: SlackSwitch
    workdir: Path
    port: int

    def env(self) -> dict[str, str]:
        values = {
            "DATABASE_URL": f"sqlite:///{self.workdir / 'register.sqlite3'}",
            "SLACK__BOT_TOKEN": BOT_TOKEN,
            "SLACK__SIGNING_SECRET": SIGNING_SECRET,
            "SLACK__API_URL": self.switch.api_url,
            "SLACK__HOST": "127.0.0.1",
            "SLACK__PORT": str(self.port),
            "SLACK__L1_CHANNEL": SLACK_L1,
            "SLACK__L2_CHANNEL": SLACK_L2,
            "TELEGRAM__TOKEN": self.api.token,
            "TELEGRAM__API_URL": self.api.api_url,
            "TELEGRAM__L1_CHAT_ID": str(TG_L1),
            "TELEGRAM__L2_CHAT_ID": str(TG_L2),
            "STAFF__L1": f"telegram:{STAFF_L1}",
            "STAFF__MEMBERSHIP": "false",
            "SLA__SWEEP_SECONDS": "0",
            "OUTBOX__POLL_SECONDS": "0.2",
            "OUTBOX__FIRST_RETRY_SECONDS": "0.2",
            "OUTBOX__MAX_RETRY_SECONDS": "2",
            "OUTBOX__GIVE_UP_AFTER": "1000",
            "OUTBOX__LEASE_SECONDS": "3",
            "KB_RELOAD_SECONDS": "0",
        }
        return {f"SUPPORTBOT_{name}": value for name, value in values.items()}

    def settings(self) -> Settings:
        saved = dict(os.environ)
        os.environ.update(self.env())
        try:
            return Settings(_env_file=None)
        finally:
            os.environ.clear()
            os.environ.update(saved)


@contextmanager
def rig() -> Iterator[Rig]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    with (
        tempfile.TemporaryDirectory(prefix="faults-") as folder,
        SlackStandIn() as slack,
        BotApiStandIn() as api,
    ):
        switch = SlackSwitch(slack.api_url)
        try:
            yield Rig(slack, api, switch, Path(folder), free_port())
        finally:
            switch.close()


def log_requests(rig: Rig, count: int) -> list[tuple[str, int]]:
    """`count` requests from Telegram users, each escalated to L2: (ref, requester chat)."""
    app = build_app(rig.settings(), outbox_only)
    staff = Person("telegram", str(STAFF_L1), "Lina Admin")
    logged = []
    try:
        for n in range(count):
            chat = FIRST_REQUESTER + n
            person = Person("telegram", str(chat), f"Requester {n}", "fr")
            asking = Incoming(person, Address("telegram", str(chat)))
            replies = app.desk.ask(asking, no_match_question(n))
            text = " ".join(r.text for r in replies if isinstance(r, TextReply))
            found = re.search(r"\bSR-\d+\b", text)
            assert found is not None, text
            app.desk.escalate(Incoming(staff, Address("telegram", str(TG_L1))), found.group(0))
            logged.append((found.group(0), chat))
    finally:
        app.close()
    return logged


def start_bot(rig: Rig, name: str) -> subprocess.Popen[bytes]:
    log = (rig.workdir / f"{name}.log").open("ab")
    env = {**os.environ, **rig.env(), "NO_PROXY": "127.0.0.1,localhost"}
    command = [sys.executable, "-m", "bot", "run"]
    return subprocess.Popen(command, cwd=rig.workdir, env=env, stdout=log, stderr=log)


def stop_bot(bot: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    bot.send_signal(sig)
    bot.wait(30)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def healthy(rig: Rig) -> bool:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"http://127.0.0.1:{rig.port}/healthz", timeout=1
        ) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def outbox_counts(rig: Rig) -> OutboxCounts:
    register = open_register(rig.settings())
    try:
        sessions = register.unit_of_work.session_factory
        return SqlOutbox(sessions, lambda: datetime.now(UTC)).counts()
    finally:
        register.close()


def outbox_done(rig: Rig) -> bool:
    counts = outbox_counts(rig)
    return counts.notifications > 0 and counts.undone == 0


def found(rig: Rig, logged: list[tuple[str, int]]) -> list[int]:
    """For every expected ping and message: how many times its platform holds it."""
    slack_posts = [
        c for c in rig.slack.calls_of("chat.postMessage") if c.status == 200 and c.response["ok"]
    ]
    numbers = []
    for ref, chat in logged:
        mine = re.compile(rf"\b{ref}\b")
        for channel in (SLACK_L1, SLACK_L2):
            hits = [c for c in slack_posts if c.args.get("channel") == channel]
            numbers.append(sum(bool(mine.search(c.args.get("text", ""))) for c in hits))
        for group in (TG_L1, TG_L2, chat):
            numbers.append(sum(bool(mine.search(m["text"])) for m in rig.api.sent(group)))
    return numbers


def count(rig: Rig, scenario: str, logged: list[tuple[str, int]]) -> Counts:
    numbers = found(rig, logged)
    return Counts(
        scenario=scenario,
        requests=len(logged),
        pings=4 * len(logged),
        messages=len(logged),
        delivered=sum(1 for n in numbers if n),
        lost=sum(1 for n in numbers if not n),
        duplicated=sum(n - 1 for n in numbers if n > 1),
        outbox=outbox_counts(rig),
    )


def slack_down(rig: Rig, requests: int, outage: float) -> Counts:
    """Slack answers 503 for `outage` seconds while the requests come in, then recovers."""
    bot = start_bot(rig, "slack_down")
    try:
        wait_until(lambda: healthy(rig), 60, "the bot to start")
        rig.switch.down = True
        logged = log_requests(rig, requests)
        time.sleep(outage)  # the outage itself: the dispatcher keeps retrying meanwhile
        rig.switch.down = False
        wait_until(lambda: outbox_done(rig), 900, "the outbox to empty")
    finally:
        stop_bot(bot)
    return count(rig, "slack_down", logged)


def telegram_429(rig: Rig, requests: int, storm: int) -> Counts:
    """The next `storm` sends and edits on Telegram answer 429 with retry_after 1."""
    for method in ("sendMessage", "editMessageText"):
        rig.api.fail(method, 429, "Too Many Requests: retry after 1", retry_after=1, times=storm)
    bot = start_bot(rig, "telegram_429")
    try:
        wait_until(lambda: healthy(rig), 60, "the bot to start")
        logged = log_requests(rig, requests)
        wait_until(lambda: outbox_done(rig), 900, "the outbox to empty")
    finally:
        stop_bot(bot)
    return count(rig, "telegram_429", logged)


def sigkill(rig: Rig, requests: int) -> Counts:
    """A backlog in the outbox; the bot is killed once about a third of it is out, then
    started again."""
    logged = log_requests(rig, requests)
    first = start_bot(rig, "sigkill-1")
    try:
        third = (5 * requests) // 3
        wait_until(lambda: sum(1 for n in found(rig, logged) if n) >= third, 120, "a third")
    finally:
        stop_bot(first, signal.SIGKILL)
    second = start_bot(rig, "sigkill-2")
    try:
        wait_until(lambda: outbox_done(rig), 900, "the outbox to empty")
    finally:
        stop_bot(second)
    return count(rig, "sigkill", logged)


def run(scenario: str, requests: int) -> Counts:
    with rig() as ready:
        if scenario == "slack_down":
            return slack_down(ready, requests, outage=5.0)
        if scenario == "telegram_429":
            return telegram_429(ready, requests, storm=2 * requests)
        return sigkill(ready, requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all")
    args = parser.parse_args()
    print(HEADER)
    for scenario in SCENARIOS if args.scenario == "all" else (args.scenario,):
        print(run(scenario, args.requests).line(), flush=True)


if __name__ == "__main__":
    main()
