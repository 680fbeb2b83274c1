"""Per-person sliding-window rate limits, in memory, on the core's clock."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.ports import Clock

SWEEP_EVERY = 1000  # acquisitions between sweeps that forget people who went quiet


@dataclass(frozen=True)
class Window:
    """At most `count` events in any span of `length`."""

    count: int
    length: timedelta


class SlidingWindowLimiter:
    """Counts each key's recent events; an event over any window's limit is refused and not
    counted, so someone who keeps trying is let in again as soon as a window has room.

    Adapters may call from several threads (the Slack HTTP server), hence the lock."""

    def __init__(self, clock: Clock, windows: Sequence[Window]) -> None:
        if not windows or any(w.count < 1 or w.length <= timedelta(0) for w in windows):
            raise ValueError("every window needs a count of at least 1 and a positive length")
        self._clock = clock
        self._windows = tuple(windows)
        self._longest = max(w.length for w in windows)
        self._kept = max(w.count for w in windows)
        self._events: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()
        self._since_sweep = 0

    def try_acquire(self, key: str) -> bool:
        """Record an event for `key` and say True, or say False when it is over a limit."""
        now = self._clock.now()
        with self._lock:
            self._sweep(now)
            events = self._events.setdefault(key, deque(maxlen=self._kept))
            for window in self._windows:
                recent = sum(1 for moment in events if moment > now - window.length)
                if recent >= window.count:
                    return False
            events.append(now)
            return True

    def tracked(self) -> int:
        """How many people the limiter currently remembers."""
        with self._lock:
            return len(self._events)

    def _sweep(self, now: datetime) -> None:
        # Without it the table would keep one entry for everybody who ever asked.
        self._since_sweep += 1
        if self._since_sweep < SWEEP_EVERY:
            return
        self._since_sweep = 0
        horizon = now - self._longest
        quiet = [key for key, events in self._events.items() if not events or events[-1] <= horizon]
        for key in quiet:
            del self._events[key]
