"""`supportbot run`: start every configured platform around one desk, stop them on a signal."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.bootstrap import App, Register, build_app
from bot.core.desk import SupportDesk
from bot.core.directory import MembershipDirectory, MembershipLookup
from bot.core.model import Level
from bot.core.ports import StaffDirectory
from bot.core.routing import Outlet, Router
from bot.dispatch import Backoff, OutboxDispatcher
from bot.sla_sweep import SweepThread
from config.settings import OutboxSettings, Settings

log = logging.getLogger("supportbot")


class Platform(Protocol):
    """A chat platform: an outlet for notifications, and a service that takes messages in."""

    name: str

    @property
    def outlet(self) -> Outlet: ...

    def start(self, desk: SupportDesk, health: Callable[[], bool]) -> None:
        """Begin taking messages in, without blocking (own thread or event loop)."""

    def membership_lookup(self) -> MembershipLookup:
        """Asks the platform who is in a chat (staff of a level are its chats' members)."""

    def stop(self) -> None: ...


def configured_platforms(settings: Settings) -> list[Platform]:
    """The platforms whose credentials are set; imported only when configured."""
    platforms: list[Platform] = []
    if settings.slack.enabled:
        from bot.slack.platform import SlackPlatform

        platforms.append(SlackPlatform(settings.slack))
    if settings.telegram.enabled:
        from bot.telegram.platform import TelegramPlatform

        platforms.append(TelegramPlatform(settings.telegram))
    return platforms


def staff_members(
    settings: Settings,
    platforms: Sequence[Platform],
    register: Register,
    clock: Callable[[], float] = time.monotonic,
) -> list[StaffDirectory]:
    """Per platform, who is in the chats where a level's pings go (and, for L1, the sites'
    L1 chats on it); none when the settings turn membership off."""
    if not settings.staff.membership:
        return []
    directories: list[StaffDirectory] = []
    for platform in platforms:
        name = platform.outlet.platform
        chats = {level: list(platform.outlet.destinations(level)) for level in Level}
        for site_chats in register.site_destinations.values():
            chats[Level.L1] += site_chats.get(name, ())
        unique = {level: list(dict.fromkeys(ids)) for level, ids in chats.items()}
        lookup = platform.membership_lookup()
        ttl = settings.staff.membership_ttl_seconds
        directories.append(MembershipDirectory(name, unique, lookup, ttl_seconds=ttl, clock=clock))
    return directories


def dispatcher_for(outbox: OutboxSettings, router: Router, register: Register) -> OutboxDispatcher:
    """The outbox dispatcher of this register, with the settings' polling and backoff."""
    backoff = Backoff(
        first_seconds=outbox.first_retry_seconds,
        cap_seconds=outbox.max_retry_seconds,
        give_up_after=outbox.give_up_after,
        lease_seconds=outbox.lease_seconds,
    )
    return OutboxDispatcher.over(
        router, register.unit_of_work, poll_seconds=outbox.poll_seconds, backoff=backoff
    )


def serve(
    settings: Settings,
    platforms: list[Platform],
    stop: threading.Event,
    *,
    membership_clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run until `stop` is set (SIGINT/SIGTERM in production, the test harness in tests).
    `membership_clock` times how long the platforms' answers on staff membership are kept."""
    background: list[OutboxDispatcher] = []

    def router_for(register: Register) -> OutboxDispatcher:
        outlets = [p.outlet for p in platforms]
        router = Router(
            outlets, register.unit_of_work, site_destinations=register.site_destinations
        )
        dispatcher = dispatcher_for(settings.outbox, router, register)
        background.append(dispatcher)
        return dispatcher

    def members_for(register: Register) -> list[StaffDirectory]:
        return staff_members(settings, platforms, register, membership_clock)

    app: App = build_app(settings, router_for, staff_members=members_for)
    sweeper: SweepThread | None = None
    try:
        for platform in platforms:
            platform.start(app.desk, app.register.is_reachable)
            log.info("%s is running", platform.name)
        for dispatcher in background:  # once the outlets can send: nothing fails for that
            dispatcher.start()
        if settings.sla.sweep_seconds:
            sweeper = SweepThread(app, settings.sla)
            sweeper.start()
        stop.wait()
    finally:
        if sweeper is not None:
            sweeper.close()
        # Stop dispatching while the platforms can still send; what is left stays in the outbox.
        for notifier in background:
            notifier.close()
        for platform in reversed(platforms):
            platform.stop()
        app.close()


def run_until_signalled(settings: Settings, platforms: list[Platform]) -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    serve(settings, platforms, stop)
