"""The SLA sweeper wired to the register: every N seconds inside `supportbot run`, or once
from cron with `supportbot sla sweep`. What it publishes goes into the outbox, for the
dispatcher of a running bot to deliver."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import timedelta

from bot.bootstrap import App, Register
from bot.core.model import Level
from bot.core.outgoing import Notification
from bot.core.ports import Notifier
from bot.core.sweeper import SlaSweeper, SweepPolicy, SweepResult
from config.settings import SlaSettings
from register.sla_sweep import sweep_candidates

log = logging.getLogger("supportbot.sla")


class OutboxOnly:
    """The notifier of a process that only writes the outbox (`supportbot sla sweep`): the
    running bot's dispatcher finds the rows by polling."""

    def deliver(self, notifications: Sequence[Notification]) -> None:
        log.debug("%d notifications left in the outbox for the bot", len(notifications))


def outbox_only(register: Register) -> Notifier:
    register.unit_of_work.write_outbox = True
    return OutboxOnly()


def sweep_policy(sla: SlaSettings) -> SweepPolicy:
    return SweepPolicy(auto_escalate=frozenset(Level(level) for level in sla.auto_escalate))


def sweep_once(app: App, sla: SlaSettings) -> SweepResult:
    deps = app.desk.deps
    horizon = timedelta(hours=sla.sweep_horizon_hours)
    sessions = app.register.unit_of_work.session_factory
    refs = sweep_candidates(sessions, deps.clock.now(), horizon)
    return SlaSweeper(deps, sweep_policy(sla)).sweep(refs)


class SweepThread:
    """Sweeps every `sla.sweep_seconds` until closed; a failed sweep is logged and retried."""

    def __init__(self, app: App, sla: SlaSettings) -> None:
        self._app, self._sla = app, sla
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="sla-sweep", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.wait(self._sla.sweep_seconds):
            try:
                result = sweep_once(self._app, self._sla)
            except Exception:
                log.exception("the SLA sweep failed")
                continue
            if result.reminded or result.escalated:
                log.info("SLA sweep: %s", result)
