"""The outbox dispatcher: delivers notifications stored in the register, destination by
destination, with exponential backoff and jitter, honouring the platforms' Retry-After.

It replaces the in-memory queue: what is committed survives a crash and goes out after restart
(at least once; a crash between a platform's answer and the mark sends that one again)."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.outgoing import Notification
from bot.core.routing import Router
from register.outbox import Claim, SqlOutbox
from register.unit_of_work import SqlUnitOfWorkFactory

log = logging.getLogger("supportbot.dispatch")
Now = Callable[[], datetime]
CLAIMS_PER_PASS = 100  # then new notifications are listed, so they never wait behind a backlog


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Backoff:
    """When to try a failed destination again; after `give_up_after` attempts it is marked
    failed and logged (hours of retries at the default cap: a channel deleted, not an outage)."""

    first_seconds: float = 1.0
    factor: float = 2.0
    cap_seconds: float = 300.0
    give_up_after: int = 40
    # A claimed attempt is someone's for this long; longer than any platform call may take.
    lease_seconds: float = 180.0

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
        """Exponential with "equal jitter" (half fixed, half random): retries of many
        dispatchers spread out; a platform's Retry-After is a floor, never shortened."""
        ceiling = min(self.cap_seconds, self.first_seconds * self.factor ** max(attempts - 1, 0))
        seconds = ceiling / 2 + rng.uniform(0, ceiling / 2)
        return timedelta(seconds=max(seconds, retry_after or 0.0))


def retry_after_of(error: BaseException) -> float | None:
    """Seconds the platform asked us to wait: PTB's `RetryAfter.retry_after`, or the
    `Retry-After` header of slack_sdk's error response (looked up by shape, not by import)."""
    current: BaseException | None = error
    while current is not None:
        value = getattr(current, "retry_after", None)
        if isinstance(value, timedelta):
            return value.total_seconds()
        if isinstance(value, int | float):
            return float(value)
        headers = getattr(getattr(current, "response", None), "headers", None)
        if isinstance(headers, Mapping):
            for header, raw in headers.items():
                if str(header).lower() == "retry-after":
                    return _seconds(raw)
        current = current.__cause__
    return None


def _seconds(raw: object) -> float | None:
    first = raw[0] if isinstance(raw, list | tuple) and raw else raw
    try:
        return float(str(first))
    except ValueError:
        return None


class OutboxDispatcher:
    """Implements the core's `Notifier` for `supportbot run`: `deliver` only wakes the thread,
    because the unit of work already stored the notifications. The thread also polls, so
    retries and what a crashed process left behind go out without a new event."""

    def __init__(
        self,
        router: Router,
        outbox: SqlOutbox,
        *,
        poll_seconds: float = 2.0,
        backoff: Backoff | None = None,
        now: Now = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._router = router
        self._outbox = outbox
        self.poll_seconds = poll_seconds
        self.backoff = backoff or Backoff()
        self._now = now
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self.idle = threading.Event()  # set while waiting for a wake-up or the next poll
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def over(
        cls,
        router: Router,
        units: SqlUnitOfWorkFactory,
        *,
        poll_seconds: float = 2.0,
        backoff: Backoff | None = None,
        now: Now = utc_now,
    ) -> OutboxDispatcher:
        """A dispatcher for this register; from now on its units of work write the outbox."""
        units.write_outbox = True
        outbox = SqlOutbox(units.session_factory, now)
        return cls(router, outbox, poll_seconds=poll_seconds, backoff=backoff, now=now)

    def deliver(self, notifications: Sequence[Notification]) -> None:
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._work, name="outbox", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Stop after the attempt in progress; what is left stays in the outbox."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> int:
        """One pass: list destinations of new notifications, then attempt the due ones.
        Returns how many steps were taken (0: nothing to do right now)."""
        steps = 0
        for outbox_id, notification in self._outbox.to_expand():
            steps += self._outbox.expand(outbox_id, self._router.targets(notification))
        # One claim at a time: a lease never runs out while its delivery waits behind others.
        for _ in range(CLAIMS_PER_PASS):
            claims = [] if self._stop.is_set() else self._outbox.claim(self.backoff.lease, 1)
            if not claims:
                break
            self._attempt(claims[0])
            steps += 1
        return steps

    def _work(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                while self.run_once() and not self._stop.is_set():
                    pass
            except Exception:  # the register away for a moment: the next poll tries again
                log.exception("the outbox dispatcher failed a pass")
            self.idle.set()
            self._wake.wait(self.poll_seconds)
            self.idle.clear()

    def _attempt(self, claim: Claim) -> None:
        try:
            self._router.send(claim.notification, claim.target)
        except Exception as error:
            self._failed(claim, error)
        else:
            self._outbox.delivered(claim)

    def _failed(self, claim: Claim, error: Exception) -> None:
        reason = f"{type(error).__name__}: {error}"
        if claim.attempts >= self.backoff.give_up_after:
            log.error("gave up on %s after %d attempts: %s", claim.target, claim.attempts, reason)
            self._outbox.give_up(claim, reason)
            return
        delay = self.backoff.delay(claim.attempts, retry_after_of(error), self._rng)
        log.warning(
            "delivery to %s failed (attempt %d), next in %.1fs: %s",
            claim.target,
            claim.attempts,
            delay.total_seconds(),
            reason,
        )
        self._outbox.retry(claim, self._now() + delay, reason)
