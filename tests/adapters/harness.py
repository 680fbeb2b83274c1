"""Running the real composition (`bot.runner.serve`) on a thread for adapter tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from bot.runner import Platform, serve
from config.settings import Settings

T = TypeVar("T")


def wait_for(predicate: Callable[[], T | None], timeout: float = 15.0, what: str = "") -> T:
    """Poll until `predicate` returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)


@contextmanager
def serving(
    settings: Settings,
    platforms: Sequence[Platform],
    started: Callable[[], object],
    *,
    membership_clock: Callable[[], float] = time.monotonic,
) -> Iterator[None]:
    """`serve` on a thread, as `supportbot run` does, until `started()` is true; stopped and
    joined at the end. A failure of `serve` is raised in the test, while starting or stopping."""
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve(settings, list(platforms), stop, membership_clock=membership_clock)
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run, name="serve", daemon=True)
    thread.start()
    try:
        wait_for(lambda: started() or failures, 30, "the bot to start")
        if failures:
            raise failures[0]
        yield
    finally:
        stop.set()
        thread.join(30)
        assert not thread.is_alive(), "serve() did not stop"
    if failures:
        raise failures[0]  # serve() failed while stopping
