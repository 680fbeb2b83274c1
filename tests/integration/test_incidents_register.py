"""Incidents in the real register (SQLite and PostgreSQL): the migration with data in place, the
repository, incident pings kept like request pings, and two resolves at once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from bot.cli_incidents import mount_incidents
from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import (
    Address,
    Incident,
    IncidentStatus,
    Level,
    Outcome,
    Person,
    PostedMessage,
    Status,
)
from bot.core.outgoing import (
    KnownIssueReply,
    Reply,
    RequesterNotice,
    StaffPing,
    StaffRelay,
    TextReply,
)
from bot.core.sla import BusinessHoursSla, LevelTargets
from kb_index.similarity import StemOverlapSimilarity
from register.database import make_engine, make_session_factory
from register.incidents import OPEN_INCIDENTS_KEPT, OpenIncidents
from register.orm import RequestRow
from register.schema import alembic_config, head_revision, upgrade
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes import FakeKnowledgeBase, RecordingNotifier
from tests.integration.test_migrations import differences, insert_at_baseline, revision_of

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SAME_PROBLEM = (
    "Export of cases to Excel fails with an error",
    "Exporting cases to Excel fails with error",
    "Case export to Excel fails with an error message",
)
CLOCK_DELAY_S = 0.05  # held while the incident is locked: the second resolve must queue


class SlowClock:
    def now(self) -> datetime:
        time.sleep(CLOCK_DELAY_S)
        return datetime.now(UTC)


def someone(user_id: str, language: str | None = None) -> Incoming:
    return Incoming(
        Person("test", user_id, user_id.title(), language), Address("test", f"chat-{user_id}")
    )


@pytest.fixture
def bare(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def desk(uow: SqlUnitOfWorkFactory, notifier: RecordingNotifier) -> SupportDesk:
    deps = DeskDeps(
        unit_of_work=uow,
        kb=FakeKnowledgeBase([]),  # nothing matches: every question is logged at once
        notifier=notifier,
        clock=SlowClock(),
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({Level.L3: ["test:dev", "test:ana"]}),
        sla=BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24))),
        similarity=StemOverlapSimilarity(),
    )
    return SupportDesk(deps)


def text_of(replies: list[Reply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return reply.text


def open_incident(desk: SupportDesk) -> str:
    for number, question in enumerate(SAME_PROBLEM):
        desk.ask(someone(f"field{number}"), question)
    with desk.deps.unit_of_work() as uow:
        (incident,) = uow.incidents.list_open()
    return incident.ref


def test_an_upgrade_keeps_old_rows_outside_any_incident_and_a_downgrade_keeps_requests(
    bare: Engine,
) -> None:
    upgrade(bare, "0001")
    insert_at_baseline(bare)
    upgrade(bare)
    factory = SqlUnitOfWorkFactory(make_session_factory(bare))
    with factory() as uow:
        unlinked = uow.incidents.unlinked_open_requests(T0 - timedelta(days=1))
        assert [r.ref for r in unlinked] == ["SR-1", "SR-2"]
        incident = Incident(summary="Sync fails", created_at=T0, updated_at=T0)
        uow.incidents.add(incident)
        uow.incidents.link_request(incident.ref, "SR-1")
        uow.posted.add(PostedMessage(incident.ref, "slack", "C0L3", "171.1", "ping", Level.L3))
        uow.commit()
    with bare.begin() as connection, alembic_config(connection) as config:
        command.downgrade(config, "0003")
    assert revision_of(bare) == "0003"
    with bare.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(RequestRow.__table__)) == 2
    upgrade(bare)
    assert revision_of(bare) == head_revision()
    assert differences(bare) == []


def test_the_repository_keeps_incidents_their_reports_and_their_pings(
    uow: SqlUnitOfWorkFactory, desk: SupportDesk
) -> None:
    desk.ask(someone("early"), "The printer is broken")
    ref = open_incident(desk)
    assert ref == "INC-1"
    with uow() as work:
        incident = work.incidents.get(ref)
        assert incident is not None
        assert (incident.status, incident.level, incident.summary) == (
            IncidentStatus.OPEN,
            Level.L3,
            SAME_PROBLEM[0],
        )
        reports = work.incidents.reports(ref)
        assert [r.request_ref for r in reports] == ["SR-2", "SR-3", "SR-4"]
        since = datetime.now(UTC) - timedelta(days=7)
        assert [r.ref for r in work.incidents.unlinked_open_requests(since)] == ["SR-1"]
        ping = PostedMessage(ref, "telegram", "-100", "42", "ping", Level.L3)
        work.posted.add(ping)
        work.commit()
    with uow() as work:
        assert work.posted.for_request(ref, kind="ping") == [ping]
        assert work.posted.find("telegram", "-100", "42") == ping
        assert work.posted.for_request("SR-2") == []


def test_a_known_issue_answer_is_linked_and_resolving_tells_everyone(
    uow: SqlUnitOfWorkFactory, desk: SupportDesk, notifier: RecordingNotifier
) -> None:
    ref = open_incident(desk)
    assert any(isinstance(n, StaffPing) and n.view.ref == ref for n in notifier.delivered)
    (known,) = desk.ask(someone("late", "fr"), "Excel export of cases gives an error")
    assert isinstance(known, KnownIssueReply)
    assert "INC-1" in known.text
    notifier.delivered.clear()
    assert text_of(desk.resolve(someone("dev"), ref, "Fixed")) == (
        "INC-1 is resolved; 4 requesters have been told."
    )
    told = sorted(n.to.chat_id for n in notifier.delivered if isinstance(n, RequesterNotice))
    assert told == ["chat-field0", "chat-field1", "chat-field2", "chat-late"]
    with uow() as work:
        for number in (1, 2, 3):
            request = work.requests.get(f"SR-{number}")
            assert request is not None
            assert request.status is Status.RESOLVED
        inquiry = work.inquiries.get(4)
        assert inquiry is not None
        assert inquiry.outcome is Outcome.KNOWN_ISSUE
        assert work.incidents.list_open() == []


def test_two_developers_resolving_at_once_one_wins_and_requesters_are_told_once(
    desk: SupportDesk, notifier: RecordingNotifier
) -> None:
    ref = open_incident(desk)
    notifier.delivered.clear()
    start = threading.Barrier(2)

    def resolve(name: str) -> str:
        start.wait()
        return text_of(desk.resolve(someone(name), ref, f"fixed by {name}"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(resolve, ["dev", "ana"]))
    assert answers == [
        "INC-1 is resolved; 3 requesters have been told.",
        "Incident INC-1 is already resolved.",
    ]
    told = [n for n in notifier.delivered if isinstance(n, RequesterNotice)]
    assert len(told) == 3


def test_register_incidents_lists_them_with_their_reports(
    desk: SupportDesk, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env of the developer's is read
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database_url)
    open_incident(desk)
    desk.ask(someone("late"), "Excel export of cases gives an error")
    register_app = typer.Typer()
    register_app.command("list")(lambda: None)  # a group, as `supportbot register` is
    mount_incidents(register_app)

    result = CliRunner().invoke(register_app, ["incidents", "--json"])
    assert result.exit_code == 0, result.output
    (incident,) = json.loads(result.stdout)
    assert incident["ref"] == "INC-1"
    assert (incident["status"], incident["requests"], incident["known_issue"]) == ("open", 3, 1)
    shown = CliRunner().invoke(register_app, ["incidents", "--status", "resolved"])
    assert shown.stdout.strip() == "No incidents."
    wrong = CliRunner().invoke(register_app, ["incidents", "--status", "gone"])
    assert wrong.exit_code == 1
    assert "choose one of: open, resolved" in wrong.stderr


def test_two_alike_requests_logged_at_once_open_one_incident_not_two(
    uow: SqlUnitOfWorkFactory, desk: SupportDesk
) -> None:
    desk.ask(someone("first"), SAME_PROBLEM[0])
    desk.ask(someone("second"), SAME_PROBLEM[1])
    start = threading.Barrier(2)

    def ask(name: str) -> None:
        start.wait()
        desk.ask(someone(name), SAME_PROBLEM[2])

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(ask, ["third", "fourth"]))
    with uow() as work:
        (incident,) = work.incidents.list_open()
        linked = [r.request_ref for r in work.incidents.reports(incident.ref)]
    assert {"SR-1", "SR-2"} <= set(linked)
    assert len(linked) >= 3


def test_an_incident_opened_by_another_bot_process_is_known_within_seconds(
    uow: SqlUnitOfWorkFactory, desk: SupportDesk, session_factory: sessionmaker[Session]
) -> None:
    """Each register keeps the open incidents it read for OPEN_INCIDENTS_KEPT seconds; what it
    changes itself it knows at once (the test above), what another process changes, in time."""
    seconds = [0.0]
    uow.open_incidents = OpenIncidents(clock=lambda: seconds[0])
    assert text_of(desk.ask(someone("first"), "The printer in room 4 is jammed")).startswith(
        "I could not find"
    )  # the open incidents (none) are read and kept
    other_process = SqlUnitOfWorkFactory(session_factory, reference_prefix="SR")
    other_desk = SupportDesk(replace(desk.deps, unit_of_work=other_process))
    ref = open_incident(other_desk)
    late = someone("late")
    assert not isinstance(
        desk.ask(late, "Excel export of cases gives an error")[0], KnownIssueReply
    )
    seconds[0] += OPEN_INCIDENTS_KEPT
    (known,) = desk.ask(someone("later"), "Excel export of cases gives an error")
    assert isinstance(known, KnownIssueReply)
    assert known.incident_ref == ref


def test_a_list_read_before_a_change_is_not_kept_after_it() -> None:
    kept = OpenIncidents()
    before = kept.generation()  # a read begins…
    kept.forget()  # …an incident opens and commits…
    kept.put([], before)  # …the read ends with the list as it was
    assert kept.get() is None
    kept.put([], kept.generation())
    assert kept.get() == []


def test_an_answer_on_a_linked_request_reaches_the_incident_pings(
    uow: SqlUnitOfWorkFactory, desk: SupportDesk, notifier: RecordingNotifier
) -> None:
    ref = open_incident(desk)
    desk.ask(someone("other"), "The printer in room 4 is jammed")
    with uow(read_only=True) as work:
        assert work.incidents.incident_of("SR-1") == ref
        assert work.incidents.incident_of("SR-4") is None  # the printer: a problem of its own
        assert work.incidents.incident_of("SR-99") is None
    notifier.delivered.clear()
    desk.answer_staff(someone("field1"), "SR-2", "It fails on every export")
    relays = sorted(
        (n.ref, n.level, n.text) for n in notifier.delivered if isinstance(n, StaffRelay)
    )
    assert relays == [
        (ref, Level.L3, "(SR-2) It fails on every export"),
        ("SR-2", Level.L1, "It fails on every export"),
    ]
