"""Read-side queries: lists with filters, one request with history, and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.core.model import Action, Level, Status
from register.database import make_session_factory
from register.queries import CSV_COLUMNS, SLA_COLUMNS, export_csv, find_request, list_requests
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import a_full_request
from tests.integration.seed import Seeded, seed_register

CONTRACT_KEYS = {"ref", "level", "status", "platform", "question", "created_at"}


@pytest.fixture
def seeded(uow: SqlUnitOfWorkFactory) -> Seeded:
    return seed_register(uow)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    # Closed at the end: an open transaction would hold up dropping the PostgreSQL schema.
    with make_session_factory(engine, read_only=True)() as session:
        yield session


def refs(
    session: Session,
    status: Status | None = None,
    level: Level | None = None,
    limit: int | None = None,
) -> list[str]:
    records = list_requests(session, status=status, level=level, limit=limit)
    return [record.request.ref for record in records]


def test_the_list_shows_every_request_newest_first(seeded: Seeded, session: Session) -> None:
    assert refs(session) == [
        seeded.waiting_l3,
        seeded.resolved_l1,
        seeded.claimed_l2,
        seeded.open_l1,
    ]


def test_the_list_filters_by_status_by_level_and_by_both(seeded: Seeded, session: Session) -> None:
    assert refs(session, status=Status.OPEN) == [seeded.open_l1]
    assert refs(session, level=Level.L1) == [seeded.resolved_l1, seeded.open_l1]
    assert refs(session, status=Status.RESOLVED, level=Level.L1) == [seeded.resolved_l1]
    assert refs(session, status=Status.RESOLVED, level=Level.L3) == []


def test_the_list_can_be_limited_to_the_newest(seeded: Seeded, session: Session) -> None:
    assert refs(session, limit=2) == [seeded.waiting_l3, seeded.resolved_l1]


def test_the_list_leaves_history_out(seeded: Seeded, session: Session) -> None:
    assert all(record.history is None for record in list_requests(session))
    assert all("history" not in record.as_json() for record in list_requests(session))


def test_a_request_is_found_with_its_history_oldest_first(seeded: Seeded, session: Session) -> None:
    record = find_request(session, seeded.open_l1)
    assert record is not None
    assert record.history is not None
    assert [entry.action for entry in record.history] == [Action.LOGGED, Action.REPLIED]
    history = record.as_json()["history"]
    assert isinstance(history, list)
    assert [line["detail"] for line in history if isinstance(line, dict)] == [
        "no_match",
        "Try again",
    ]


def test_an_unknown_reference_is_not_found(seeded: Seeded, session: Session) -> None:
    assert find_request(session, "SR-999999") is None


def test_json_of_a_request_has_the_contract_keys_and_iso_times(
    seeded: Seeded, session: Session
) -> None:
    record = find_request(session, seeded.claimed_l2)
    assert record is not None
    data = record.as_json()
    assert data.keys() >= CONTRACT_KEYS
    assert {"site", "requester", "claimed_by", "language", "resolved_at"} <= data.keys()
    assert {"first_response_due", "resolution_due"} <= data.keys()
    assert data["ref"] == seeded.claimed_l2
    assert (data["level"], data["status"], data["platform"]) == ("L2", "claimed", "slack")
    assert data["claimed_by"] == {"identity": "slack:U0CAROL003", "name": "Carol Coordinator"}
    assert datetime.fromisoformat(str(data["created_at"])).utcoffset() == timedelta(0)


def _exported(session: Session) -> tuple[int, list[dict[str, str]], str]:
    out = io.StringIO()
    written = export_csv(session, out)
    text = out.getvalue()
    return written, list(csv.DictReader(io.StringIO(text))), text


def test_the_csv_export_has_one_header_and_a_row_per_request_oldest_first(
    seeded: Seeded, session: Session
) -> None:
    written, rows, text = _exported(session)
    assert written == 4
    assert text.splitlines()[0] == ",".join([*CSV_COLUMNS, *SLA_COLUMNS])
    assert [row["ref"] for row in rows] == [
        seeded.open_l1,
        seeded.claimed_l2,
        seeded.resolved_l1,
        seeded.waiting_l3,
    ]


def test_the_csv_export_keeps_every_column_a_coordinator_needs(
    seeded: Seeded, session: Session
) -> None:
    _, rows, _ = _exported(session)
    full, expected = rows[1], a_full_request()
    assert full["question"] == expected.question  # commas, quotes and a newline survive
    assert full["claimed_by"] == "slack:U0CAROL003"
    assert full["suggested_ids"] == "mark-for-offline sync-errors"
    assert full["resolution_note"] == "Cleared the browser cache"
    assert expected.deadlines is not None
    assert datetime.fromisoformat(full["first_response_due"]) == expected.deadlines.first_response
    assert full["created_at"].endswith("+00:00")
    assert rows[0]["resolved_at"] == ""
    assert rows[2]["site"] == ""


def test_exporting_an_empty_register_writes_only_the_header(session: Session) -> None:
    written, rows, text = _exported(session)
    assert (written, rows) == (0, [])
    assert text.strip() == ",".join([*CSV_COLUMNS, *SLA_COLUMNS])
