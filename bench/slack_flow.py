"""Signed Slack events per second handled end to end over HTTP: the whole supportbot composition
beside a bare Bolt echo app served the same way (Bolt's WSGI adapter on waitress), both against
the local Web API stand-in, in the same run.

    .venv/bin/python -m bench.slack_flow [--events 400] [--senders 8] [--rounds 3]

"End to end" is: a DM event is POSTed to /slack/events signed as Slack signs it → Bolt verifies
and acknowledges it → the listener handles it → its reply is recorded by the stand-in. For
supportbot the reply is the article suggestions (KB search, a read of the person's choices,
one register transaction on SQLite, Block Kit) or, when nothing matches, the reference of the
request it logged (and a ping to L1); the echo app posts the text back. The bench's 16 people
ask far more than the per-person question limits allow (10 a minute by default), so those
limits are raised for the run: the limiter still runs, but every event is answered with the
real work, not "please wait" (before, about two thirds of the events measured got that cheap
refusal). Two loads:

- flood: all events sent as fast as `--senders` threads can POST (Bolt answers before it
  handles an event), which measures throughput; latencies then include the time spent queued;
- paced: `--senders` people who each wait for the answer before writing again, which measures
  the reply latency a person sees at that concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.runner import serve
from bot.slack.http import HttpService, SlackWsgi
from bot.slack.platform import LISTENER_THREADS, SlackPlatform
from config.settings import LimitsSettings, Settings, SlackSettings
from tests.adapters.slack.transports import SignedHttp
from tests.adapters.slack_standin import Call, Profile, SlackStandIn

SECRET = "bench-signing-secret-0f1e2d3c4b5a"
TOKEN = "xoxb-1795751117-1795751118-benchTokenValue0123"
USERS = [f"U0BENCH{n:03d}" for n in range(16)]  # users.info is cached per person
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


class BenchStandIn(SlackStandIn):
    """The stand-in, plus the time each DM channel got its first answer."""

    def __init__(self) -> None:
        super().__init__()
        self.users.update({user: Profile(f"Bench {user[-3:]}") for user in USERS})
        self.answered: dict[str, float] = {}
        self._waiting: dict[str, threading.Event] = {}
        self._answers = threading.Lock()

    def _record(self, call: Call) -> None:
        channel = str(call.args.get("channel", ""))
        if call.method == "chat.postMessage" and call.status == 200 and channel.startswith("DB"):
            with self._answers:
                self.answered.setdefault(channel, call.at)
                self._event(channel).set()
        else:  # keep the recorded list short: only what is not an answer
            super()._record(call)

    def _event(self, channel: str) -> threading.Event:
        return self._waiting.setdefault(channel, threading.Event())

    def wait_answer(self, channel: str, timeout: float = 60) -> float:
        with self._answers:
            event = self._event(channel)
        if not event.wait(timeout):
            raise TimeoutError(f"no answer in {channel}")
        return self.answered[channel]


@dataclass(frozen=True)
class Result:
    name: str
    load: str
    events: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


_numbers = count(1)


def dm_event(text: str) -> tuple[str, dict[str, Any]]:
    """A realistic message.im event in a fresh DM channel (the channel tells its answer apart)."""
    n = next(_numbers)
    channel, user, ts = f"DB{n:08d}", USERS[n % len(USERS)], f"1795760000.{n:06d}"
    event = {
        "client_msg_id": f"bench-{n}",
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": "T0FAKE0001",
        "channel": channel,
        "event_ts": ts,
        "channel_type": "im",
    }
    body = {
        "token": "XXYYZZ",
        "team_id": "T0FAKE0001",
        "api_app_id": "A0FAKEAPP1",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev0BENCH{n:07d}",
        "event_time": 1795760000,
        "authorizations": [{"team_id": "T0FAKE0001", "user_id": "U0FAKEBOT1", "is_bot": True}],
    }
    return channel, body


def send(http: SignedHttp, body: dict[str, Any]) -> float:
    sent = time.monotonic()
    answer = http.post(json.dumps(body).encode(), "application/json")
    assert answer.status == 200, answer
    return sent


def flood(standin: BenchStandIn, http: SignedHttp, name: str, events: int, senders: int) -> Result:
    bodies = [dm_event(QUESTIONS[n % len(QUESTIONS)]) for n in range(events)]
    start = time.monotonic()
    with ThreadPoolExecutor(senders) as pool:
        sent = list(pool.map(lambda item: send(http, item[1]), bodies))
    answered = [standin.wait_answer(channel) for channel, _ in bodies]
    latencies = [done - begun for done, begun in zip(answered, sent, strict=True)]
    return Result(name, "flood", events, max(answered) - start, latencies)


def paced(standin: BenchStandIn, http: SignedHttp, name: str, events: int, senders: int) -> Result:
    latencies: list[float] = []
    lock = threading.Lock()
    numbers = iter(range(events))

    def person() -> None:
        for n in numbers:  # the shared iterator hands each question to one person
            channel, body = dm_event(QUESTIONS[n % len(QUESTIONS)])
            begun = send(http, body)
            done = standin.wait_answer(channel)
            with lock:
                latencies.append(done - begun)

    start = time.monotonic()
    threads = [threading.Thread(target=person) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, f"paced ({senders} people)", events, time.monotonic() - start, latencies)


@contextmanager
def echo_app(standin: BenchStandIn) -> Iterator[SignedHttp]:
    """The baseline: a bare Bolt app with the same client, executor and server settings."""
    client = WebClient(token=TOKEN, base_url=standin.api_url + "/")
    executor = ThreadPoolExecutor(LISTENER_THREADS)
    app = App(
        name="echo",
        client=client,
        signing_secret=SECRET,
        token_verification_enabled=False,
        listener_executor=executor,
    )

    @app.event("message")
    def echo(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], text=event.get("text", ""))

    service = HttpService(SlackWsgi(SlackRequestHandler(app), lambda: True), "127.0.0.1", 0)
    service.start()
    try:
        yield SignedHttp("http://{}:{}".format(*service.address), SECRET)
    finally:
        service.stop()
        executor.shutdown()


@contextmanager
def support_bot(standin: BenchStandIn, folder: Path) -> Iterator[SignedHttp]:
    """The real composition `supportbot run` starts: serve(), the desk, a SQLite register and
    the bundled knowledge base."""
    slack = SlackSettings(
        bot_token=SecretStr(TOKEN),
        signing_secret=SecretStr(SECRET),
        api_url=standin.api_url,
        host="127.0.0.1",
        port=0,
        l1_channel="C0L1DESK01",
    )
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{folder / 'register.sqlite3'}",
        slack=slack,
        # 16 people ask hundreds of questions a minute here: with the default limits most events
        # would be answered "please wait" (cheap) instead of with suggestions (the real work).
        limits=LimitsSettings(questions_per_minute=10**6, questions_per_hour=10**6),
    )
    platform = SlackPlatform(slack)
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(settings, [platform], stop), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while platform.http_address is None:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("supportbot did not start")
        time.sleep(0.05)
    try:
        yield SignedHttp("http://{}:{}".format(*platform.http_address), SECRET)
    finally:
        stop.set()
        thread.join(60)


def run_both(args: argparse.Namespace, load: Callable[..., Result]) -> list[Result]:
    results = []
    with BenchStandIn() as standin, echo_app(standin) as http:
        load(standin, http, "warm-up", 20, args.senders)
        results.append(load(standin, http, "bare Bolt echo app", args.events, args.senders))
    with (
        tempfile.TemporaryDirectory() as folder,
        BenchStandIn() as standin,
        support_bot(standin, Path(folder)) as http,
    ):
        load(standin, http, "warm-up", 20, args.senders)
        name = "supportbot (question → suggestions or request)"
        results.append(load(standin, http, name, args.events, args.senders))
    return results


def median_row(runs: list[Result]) -> tuple[float, float, float]:
    """Median events/s, p50 and p95 over the rounds (the machine may be busy with other work)."""
    return (
        statistics.median(r.rate for r in runs),
        statistics.median(r.percentile(0.5) for r in runs),
        statistics.median(r.percentile(0.95) for r in runs),
    )


def print_table(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"\nHTTP mode, {args.events} signed DM events per run, {args.senders} senders, "
        f"{LISTENER_THREADS} listener threads, CPUs={os.cpu_count()}, median of {args.rounds} "
        "rounds (each round runs both apps, one after the other)\n"
    )
    print("| app | load | events/s | p50 ms | p95 ms | share of bare |")
    print("|---|---|---:|---:|---:|---:|")
    rows: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        rows.setdefault((result.name, result.load), []).append(result)
    bare = {load: median_row(runs)[0] for (name, load), runs in rows.items() if "bare" in name}
    for (name, load), runs in rows.items():
        rate, p50, p95 = median_row(runs)
        print(f"| {name} | {load} | {rate:.0f} | {p50:.0f} | {p95:.0f} | {rate / bare[load]:.0%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        os.environ.pop(name, None)
    results: list[Result] = []
    for _ in range(args.rounds):
        results += run_both(args, flood) + run_both(args, paced)
    print_table(results, args)


if __name__ == "__main__":
    main()
