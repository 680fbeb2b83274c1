"""A register with the outbox on, a router over two recording outlets and a dispatcher driven
by hand with its own clock: the harness of the outbox tests."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.model import Level, PostedMessage, Status
from bot.core.outgoing import Notification, PingView, RequesterNotice, StaffPing
from bot.core.routing import Posted, RecipientUnreachable, Router
from bot.dispatch import Backoff, OutboxDispatcher
from register.outbox import SqlOutbox
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.integration.builders import a_request

FAST = Backoff(first_seconds=1, factor=2, cap_seconds=60, give_up_after=5, lease_seconds=30)


class RateLimited(Exception):  # noqa: N818 - shaped like PTB's RetryAfter
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}")
        self.retry_after = seconds


@dataclass
class RecordingOutlet:
    """A platform that records what it showed; `down` makes every call fail like an outage,
    `rate_limited` answers with a Retry-After, `blocked` says the requester blocked the bot."""

    platform: str
    chats: dict[Level, list[str]]
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    down: bool = False
    rate_limited: float | None = None
    blocked: bool = False

    def destinations(self, level: Level) -> Sequence[str]:
        return self.chats.get(level, [])

    def _check(self) -> None:
        if self.down:
            raise ConnectionError(f"{self.platform} is down")
        if self.rate_limited is not None:
            raise RateLimited(self.rate_limited)

    def post_ping(self, chat_id: str, view: PingView) -> Posted:
        self._check()
        self.calls.append(("ping", chat_id, view.ref))
        return Posted(chat_id=chat_id, message_id=f"{self.platform}-{len(self.calls)}")

    def update_ping(self, posted: PostedMessage, view: PingView) -> None:
        self._check()
        self.calls.append(("update", posted.message_id, view.status.value))

    def send_notice(self, notice: RequesterNotice) -> Posted | None:
        self._check()
        if self.blocked:
            raise RecipientUnreachable("bot was blocked by the user")
        self.calls.append(("notice", notice.to.chat_id, notice.text))
        return Posted(chat_id=notice.to.chat_id, message_id=f"n{len(self.calls)}")

    def post_in_thread(self, posted: PostedMessage, text: str) -> None:
        self._check()
        self.calls.append(("thread", posted.message_id, text))


def a_view(ref: str, level: Level = Level.L1, status: Status = Status.OPEN) -> PingView:
    return PingView(ref, level, status, "New request", (f"Ref: {ref}",), ())


@dataclass
class OutboxWorld:
    units: SqlUnitOfWorkFactory
    clock: FakeClock
    slack: RecordingOutlet
    telegram: RecordingOutlet
    router: Router

    def dispatcher(self, backoff: Backoff = FAST) -> OutboxDispatcher:
        """A new dispatcher, as a restarted process would make."""
        outbox = SqlOutbox(self.units.session_factory, self.clock.now)
        rng = random.Random(7)
        return OutboxDispatcher(self.router, outbox, backoff=backoff, now=self.clock.now, rng=rng)

    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.units.session_factory, self.clock.now)

    def new_request(self) -> str:
        with self.units() as uow:
            request = a_request()
            uow.requests.add(request)
            uow.commit()
        return request.ref

    def publish(self, *notifications: Notification) -> None:
        with self.units() as uow:
            for notification in notifications:
                uow.publish(notification)
            uow.commit()

    def ping(self, ref: str, level: Level = Level.L1) -> StaffPing:
        return StaffPing(level, a_view(ref, level))

    def drain(self, dispatcher: OutboxDispatcher) -> None:
        while dispatcher.run_once():
            pass

    def later(self, seconds: float) -> None:
        self.clock.current += timedelta(seconds=seconds)


def make_world(units: SqlUnitOfWorkFactory) -> OutboxWorld:
    units.write_outbox = True
    clock = FakeClock()
    slack = RecordingOutlet("slack", {Level.L1: ["C-L1"], Level.L2: ["C-L2"]})
    telegram = RecordingOutlet("telegram", {Level.L1: ["-100L1"], Level.L2: ["-100L2"]})
    router = Router([slack, telegram], units, clock)
    return OutboxWorld(units, clock, slack, telegram, router)
