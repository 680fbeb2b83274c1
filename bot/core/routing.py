"""Delivery of notifications to every platform: pings to each destination of a level, updates
of pings already posted, notices to requesters and their answers back into the ping threads.

Platform adapters provide an `Outlet`; the router knows nothing of Slack or Telegram.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol, TypeVar

from bot.core.clock import SystemClock
from bot.core.model import Action, HistoryEntry, Level, PostedMessage
from bot.core.outgoing import (
    Notification,
    PingRefresh,
    PingView,
    RequesterNotice,
    StaffNotice,
    StaffPing,
    StaffRelay,
)
from bot.core.ports import Clock, UnitOfWorkFactory

log = logging.getLogger("supportbot.routing")
TARGET_SEPARATOR = "|"  # no Slack or Telegram id contains it
T = TypeVar("T")


class RecipientUnreachable(Exception):  # noqa: N818 - a state of the recipient, not a bug
    """The platform will not deliver to this person (e.g. they blocked the bot)."""


@dataclass(frozen=True)
class Posted:
    """Where a platform put a message: its id, and the thread replies to it belong to."""

    chat_id: str
    message_id: str
    thread_id: str | None = None


class Outlet(Protocol):
    """One platform's way of showing the core's notifications."""

    platform: str

    def destinations(self, level: Level) -> Sequence[str]:
        """Chat/channel ids where pings of `level` go on this platform (may be empty)."""

    def post_ping(self, chat_id: str, view: PingView) -> Posted: ...

    def update_ping(self, posted: PostedMessage, view: PingView) -> None: ...

    def send_notice(self, notice: RequesterNotice) -> Posted | None: ...

    def post_in_thread(self, posted: PostedMessage, text: str) -> None:
        """The requester's answer, under the ping it belongs to."""


class Router:
    """Implements the core's `Notifier` over any number of outlets.

    A failure on one platform is logged with its context and does not stop the others.

    `site_destinations` (site -> platform -> chat ids) are where L1 pings of a site's requests
    go. A site with any of its own goes only there: its L1 team answers, not everybody's.
    """

    def __init__(
        self,
        outlets: Iterable[Outlet],
        unit_of_work: UnitOfWorkFactory,
        clock: Clock | None = None,
        site_destinations: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ) -> None:
        self._outlets = {outlet.platform: outlet for outlet in outlets}
        self._unit_of_work = unit_of_work
        self._clock = clock or SystemClock()
        self._site_destinations = site_destinations or {}

    def deliver(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            if isinstance(notification, StaffPing):
                self._ping(notification.level, notification.view, notification.site)
            elif isinstance(notification, PingRefresh):
                self._refresh(notification.view)
            elif isinstance(notification, RequesterNotice):
                self._notice(notification)
            elif isinstance(notification, StaffRelay):
                self._relay(notification)
            elif isinstance(notification, StaffNotice):
                self._attempt_staff_notice(notification)

    def targets(self, notification: Notification) -> list[str]:
        """Every destination of a notification, each delivered (and retried) on its own by the
        outbox: `platform|chat` for new messages, `platform|chat|message` for posted ones."""
        if isinstance(notification, StaffPing):
            level, site = notification.level, notification.site
            return [
                TARGET_SEPARATOR.join((outlet.platform, chat_id))
                for outlet in self._outlets.values()
                for chat_id in self._destinations(outlet, level, site)
            ]
        if isinstance(notification, RequesterNotice | StaffNotice):
            if notification.to.platform not in self._outlets:
                log.error("no outlet for %s to tell %s", notification.to.platform, notification.ref)
                return []
            return [TARGET_SEPARATOR.join((notification.to.platform, notification.to.chat_id))]
        ref = notification.view.ref if isinstance(notification, PingRefresh) else notification.ref
        pings = self._posted(ref, "ping")
        if isinstance(notification, StaffRelay):
            pings = [m for m in pings if m.level is notification.level]
        return [
            TARGET_SEPARATOR.join((m.platform, m.chat_id, m.message_id))
            for m in pings
            if m.platform in self._outlets
        ]

    def send(self, notification: Notification, target: str) -> None:
        """Deliver to one destination from `targets`; raises whatever the platform raised, for
        the caller to retry. A requester who cannot be reached is recorded, not retried."""
        platform, chat_id, *message_id = target.split(TARGET_SEPARATOR)
        outlet = self._outlets[platform]
        if isinstance(notification, StaffPing):
            posted = outlet.post_ping(chat_id, notification.view)
            self._remember(notification.view.ref, platform, posted, "ping", notification.level)
            return
        if isinstance(notification, RequesterNotice):
            self._send_notice(outlet, notification)
            return
        if isinstance(notification, StaffNotice):
            self._send_staff_notice(outlet, notification)
            return
        message = self._find_posted(platform, chat_id, "".join(message_id))
        if message is None:  # the ping is gone from the register: nothing left to update
            return
        if isinstance(notification, PingRefresh):
            outlet.update_ping(message, notification.view)
        else:
            outlet.post_in_thread(message, notification.text)

    def _send_notice(self, outlet: Outlet, notice: RequesterNotice) -> None:
        try:
            posted = outlet.send_notice(notice)
        except RecipientUnreachable as reason:
            self._record_unreachable(notice.ref, outlet.platform, str(reason))
            return
        if posted is not None:
            self._remember(notice.ref, outlet.platform, posted, "notice", None)

    def _send_staff_notice(self, outlet: Outlet, notice: StaffNotice) -> None:
        try:  # outlets show it like a notice; it is just not remembered as one
            outlet.send_notice(RequesterNotice(notice.ref, notice.to, notice.text))
        except RecipientUnreachable as reason:
            log.warning("staff member unreachable about %s: %s", notice.ref, reason)

    def _attempt_staff_notice(self, notice: StaffNotice) -> None:
        outlet = self._outlets.get(notice.to.platform)
        if outlet is not None:
            send = partial(self._send_staff_notice, outlet, notice)
            self._attempt(outlet, "remind staff", notice.ref, send)

    def _find_posted(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None:
        with self._unit_of_work() as uow:
            return uow.posted.find(platform, chat_id, message_id)

    def _destinations(self, outlet: Outlet, level: Level, site: str | None) -> Sequence[str]:
        of_site = self._site_destinations.get(site or "", {})
        if level is Level.L1 and any(of_site.values()):
            return of_site.get(outlet.platform, ())
        return outlet.destinations(level)

    def _ping(self, level: Level, view: PingView, site: str | None = None) -> None:
        for outlet in self._outlets.values():
            for chat_id in self._destinations(outlet, level, site):
                post = partial(outlet.post_ping, chat_id, view)
                posted = self._attempt(outlet, "post a ping", view.ref, post)
                if posted is not None:
                    self._remember(view.ref, outlet.platform, posted, "ping", level)

    def _refresh(self, view: PingView) -> None:
        for message in self._posted(view.ref, "ping"):
            outlet = self._outlets.get(message.platform)
            if outlet is not None:
                update = partial(outlet.update_ping, message, view)
                self._attempt(outlet, "update a ping", view.ref, update)

    def _notice(self, notice: RequesterNotice) -> None:
        outlet = self._outlets.get(notice.to.platform)
        if outlet is None:
            log.error(
                "no outlet for %s to tell the requester of %s", notice.to.platform, notice.ref
            )
            return
        try:
            posted = outlet.send_notice(notice)
        except RecipientUnreachable as reason:
            self._record_unreachable(notice.ref, outlet.platform, str(reason))
            return
        except Exception:
            log.exception("could not tell the requester of %s on %s", notice.ref, outlet.platform)
            return
        if posted is not None:
            self._remember(notice.ref, outlet.platform, posted, "notice", None)

    def _relay(self, relay: StaffRelay) -> None:
        pings = [m for m in self._posted(relay.ref, "ping") if m.level is relay.level]
        for message in pings:
            outlet = self._outlets.get(message.platform)
            if outlet is not None:
                relay_text = partial(outlet.post_in_thread, message, relay.text)
                self._attempt(outlet, "relay an answer", relay.ref, relay_text)

    def _record_unreachable(self, ref: str, platform: str, reason: str) -> None:
        log.warning("the requester of %s cannot be reached on %s: %s", ref, platform, reason)
        with self._unit_of_work() as uow:
            request = uow.requests.get(ref)
            if request is None:
                return
            uow.requests.append_history(
                HistoryEntry(
                    ref=ref,
                    at=self._clock.now(),
                    actor="bot",
                    action=Action.REQUESTER_UNREACHABLE,
                    detail=f"{platform}: {reason}"[:500],
                    level=request.level,
                )
            )
            uow.commit()

    def _posted(self, ref: str, kind: str) -> list[PostedMessage]:
        with self._unit_of_work() as uow:
            return uow.posted.for_request(ref, kind=kind)

    def _remember(
        self, ref: str, platform: str, posted: Posted, kind: str, level: Level | None
    ) -> None:
        with self._unit_of_work() as uow:
            uow.posted.add(
                PostedMessage(
                    ref=ref,
                    platform=platform,
                    chat_id=posted.chat_id,
                    message_id=posted.message_id,
                    kind=kind,
                    level=level,
                    thread_id=posted.thread_id,
                )
            )
            uow.commit()

    @staticmethod
    def _attempt(outlet: Outlet, what: str, ref: str, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except Exception:
            log.exception("could not %s about %s on %s", what, ref, outlet.platform)
            return None
