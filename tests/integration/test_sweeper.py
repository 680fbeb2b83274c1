"""The SLA sweeper on SQLite and PostgreSQL: reminders before a due time, escalation after it,
"still working" notes, each once, even with several `supportbot sla sweep` processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from bot.bootstrap import App, build_app
from bot.core.model import Action, Deadlines, Level, Person, Status
from bot.core.sweeper import SlaSweeper, SweepPolicy, SweepResult
from bot.sla_sweep import outbox_only
from config.settings import Settings
from register.orm import OutboxRow, ProcessedEventRow
from register.sla_sweep import sweep_candidates
from tests.fakes import FakeClock
from tests.integration.builders import MONDAY, a_request

TUESDAY = MONDAY + timedelta(days=1)  # L1: first response due Tuesday 10:00 (8 working hours)
CAROL = Person("slack", "U0CAROL003", "Carol Coordinator")


@dataclass
class Sweeping:
    app: App
    clock: FakeClock

    def sweep(self, *, auto_escalate: frozenset[Level] = frozenset()) -> SweepResult:
        deps = replace(self.app.desk.deps, clock=self.clock)
        sessions = self.app.register.unit_of_work.session_factory
        refs = sweep_candidates(sessions, self.clock.now(), timedelta(days=7))
        return SlaSweeper(deps, SweepPolicy(auto_escalate)).sweep(refs)

    def new_request(self, **changes: Any) -> str:
        deps = self.app.desk.deps
        deadlines = deps.sla.deadlines(Level.L1, None, MONDAY)
        request = a_request(deadlines=deadlines, **changes)
        with deps.unit_of_work() as uow:
            uow.requests.add(request)
            uow.commit()
        return request.ref

    def outbox(self, ref: str) -> list[tuple[str, str]]:
        """(kind, payload) of what the sweeps left for the dispatcher about `ref`."""
        with self.app.register.unit_of_work.session_factory() as session:
            rows = session.scalars(select(OutboxRow).where(OutboxRow.ref == ref)).all()
            return [(row.kind, row.payload) for row in rows]

    def kinds(self, ref: str) -> list[str]:
        return [kind for kind, _ in self.outbox(ref)]


@pytest.fixture
def sweeping(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Sweeping]:
    settings = Settings(_env_file=None, database_url=database_url)
    app = build_app(settings, outbox_only)
    try:
        yield Sweeping(app, FakeClock(TUESDAY))
    finally:
        app.close()


def test_a_request_due_soon_reminds_its_level_and_its_claimer_once(sweeping: Sweeping) -> None:
    ref = sweeping.new_request(claimed_by=CAROL, status=Status.CLAIMED)
    sweeping.clock.current = TUESDAY.replace(hour=8, minute=30)  # one working hour left
    assert sweeping.sweep().reminded == 1
    assert sweeping.sweep().reminded == 0
    assert sorted(sweeping.kinds(ref)) == ["PingRefresh", "StaffNotice", "StaffPing"]
    notice = json.loads(dict(sweeping.outbox(ref))["StaffNotice"])
    assert notice["to"] == {"platform": "slack", "chat_id": "U0CAROL003", "thread_id": None}
    assert notice["text"].startswith(f"Reminder: {ref}, which you claimed, is due soon")


def test_a_request_on_track_gets_nothing(sweeping: Sweeping) -> None:
    ref = sweeping.new_request()
    sweeping.clock.current = MONDAY + timedelta(hours=1)
    assert sweeping.sweep() == SweepResult(checked=1)
    assert sweeping.kinds(ref) == []


def test_an_overdue_request_escalates_once_when_its_level_escalates_on_its_own(
    sweeping: Sweeping,
) -> None:
    ref = sweeping.new_request()
    sweeping.clock.current = TUESDAY + timedelta(hours=1)
    assert sweeping.sweep(auto_escalate=frozenset({Level.L1})).escalated == 1
    assert sweeping.sweep(auto_escalate=frozenset({Level.L1})).escalated == 0
    with sweeping.app.desk.deps.unit_of_work() as uow:
        request = uow.requests.get(ref)
        history = uow.requests.history(ref)
    assert request is not None
    assert (request.level, request.status, request.claimed_by) == (Level.L2, Status.OPEN, None)
    assert request.deadlines is not None
    assert request.deadlines.first_response > sweeping.clock.now()
    (escalation,) = [entry for entry in history if entry.action is Action.ESCALATED]
    assert (escalation.actor, escalation.level) == ("bot", Level.L2)
    assert "L1 first_response target missed" in escalation.detail
    assert sorted(sweeping.kinds(ref)) == ["PingRefresh", "RequesterNotice", "StaffPing"]
    told = json.loads(dict(sweeping.outbox(ref))["RequesterNotice"])
    assert "transmise à l’équipe de coordination de l’assistance (niveau 2)" in told["text"]


def test_a_reminder_is_in_the_history_and_not_repeated_after_event_keys_are_forgotten(
    sweeping: Sweeping,
) -> None:
    ref = sweeping.new_request()
    sweeping.clock.current = TUESDAY.replace(hour=8, minute=30)
    assert sweeping.sweep().reminded == 1
    with sweeping.app.register.unit_of_work.session_factory() as session:
        session.execute(delete(ProcessedEventRow))  # what pruning does to keys older than 72 h
        session.commit()
    sweeping.clock.current += timedelta(days=4)  # still unanswered, days later
    assert sweeping.sweep().reminded == 0
    with sweeping.app.desk.deps.unit_of_work() as uow:
        reminders = [e for e in uow.requests.history(ref) if e.action is Action.REMINDED]
    assert [(e.actor, e.level, e.detail.split()[0]) for e in reminders] == [
        ("bot", Level.L1, "first_response")
    ]


def test_an_overdue_request_of_a_level_that_does_not_escalate_is_only_reminded(
    sweeping: Sweeping,
) -> None:
    ref = sweeping.new_request()
    sweeping.clock.current = TUESDAY + timedelta(hours=1)
    result = sweeping.sweep(auto_escalate=frozenset({Level.L2}))
    assert (result.reminded, result.escalated) == (1, 0)
    assert sorted(sweeping.kinds(ref)) == ["PingRefresh", "StaffPing"]


def test_a_requester_hears_we_are_still_working_when_the_resolution_target_nears(
    sweeping: Sweeping,
) -> None:
    ref = sweeping.new_request(first_response_at=MONDAY + timedelta(hours=1))
    # L1 resolution: 24 working hours from Monday 10:00 is Thursday 10:00; 6 hours left.
    sweeping.clock.current = MONDAY + timedelta(days=2, hours=6)
    assert sweeping.sweep().requesters_told == 1
    told = json.loads(dict(sweeping.outbox(ref))["RequesterNotice"])
    assert told["text"].startswith(f"Nous travaillons toujours sur votre demande {ref}")


def test_a_request_waiting_for_its_requester_is_left_alone(sweeping: Sweeping) -> None:
    paused = TUESDAY.replace(hour=8)
    ref = sweeping.new_request(status=Status.WAITING, paused_at=paused)
    sweeping.clock.current = TUESDAY + timedelta(days=3)
    assert sweeping.sweep(auto_escalate=frozenset({Level.L1})) == SweepResult()
    assert sweeping.kinds(ref) == []


def test_three_sweep_processes_at_once_escalate_every_overdue_request_exactly_once(
    sweeping: Sweeping, database_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    overdue = Deadlines(now - timedelta(hours=1), now + timedelta(days=30))
    refs = [sweeping.new_request(created_at=now - timedelta(days=2)) for _ in range(12)]
    with sweeping.app.desk.deps.unit_of_work() as uow:
        for ref in refs:
            request = uow.requests.get(ref)
            assert request is not None
            request.deadlines = overdue
            uow.requests.save(request)
        uow.commit()
    env = {
        **os.environ,
        "SUPPORTBOT_DATABASE_URL": database_url,
        "SUPPORTBOT_SLA__AUTO_ESCALATE": "L1",
    }
    command = [sys.executable, "-m", "bot", "sla", "sweep", "--json"]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [json.loads(process.communicate(timeout=120)[0]) for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert sum(result["escalated"] for result in results) == len(refs)
    for ref in refs:
        with sweeping.app.desk.deps.unit_of_work() as uow:
            actions = [entry.action for entry in uow.requests.history(ref)]
        assert actions.count(Action.ESCALATED) == 1, ref
        assert sweeping.kinds(ref).count("StaffPing") == 1, ref
