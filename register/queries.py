"""Read-side queries of the register for the command line and reports: lists, one request, CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select
from sqlalchemy.orm import Session

from bot.core.model import HistoryEntry, Level, SlaStanding, Status, SupportRequest
from bot.core.ports import SlaPolicy
from register.mapping import request_from_row
from register.orm import UNRESOLVED, RequestRow
from register.repository import history_of

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def history_json(entry: HistoryEntry) -> dict[str, JsonValue]:
    return {
        "at": iso(entry.at),
        "actor": entry.actor,
        "action": entry.action.value,
        "level": entry.level.value if entry.level else None,
        "detail": entry.detail,
    }


def standing_json(standing: SlaStanding | None) -> dict[str, JsonValue] | None:
    if standing is None:
        return None
    return {
        "state": standing.state.value,
        "due": iso(standing.due),
        "target": standing.target,
        "paused": standing.paused,
    }


@dataclass(frozen=True)
class RequestRecord:
    """A request as the register shows it; `history` is None when it was not loaded, `standing`
    (where it stands against its SLA) when it was not worked out."""

    request: SupportRequest
    history: tuple[HistoryEntry, ...] | None = None
    standing: SlaStanding | None = None

    def as_json(self) -> dict[str, JsonValue]:
        r, deadlines, claimer = self.request, self.request.deadlines, self.request.claimed_by
        data: dict[str, JsonValue] = {
            "ref": r.ref,
            "level": r.level.value,
            "status": r.status.value,
            "platform": r.requester.platform,
            "question": r.question,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
            "site": r.site,
            "language": r.language,
            "requester": {
                "identity": r.requester.identity,
                "name": r.requester.display_name,
                "language": r.requester.language,
            },
            "claimed_by": (
                {"identity": claimer.identity, "name": claimer.display_name} if claimer else None
            ),
            "feedback": r.feedback.value,
            "suggested_ids": list(r.suggested_ids),
            "first_response_due": iso(deadlines.first_response) if deadlines else None,
            "resolution_due": iso(deadlines.resolution) if deadlines else None,
            "first_response_at": iso(r.first_response_at),
            "resolved_at": iso(r.resolved_at),
            "resolution_note": r.resolution_note,
            "level_entered_at": iso(r.level_entered_at),
            "paused_at": iso(r.paused_at),
            "sla": standing_json(self.standing),
        }
        if self.history is not None:
            data["history"] = [history_json(entry) for entry in self.history]
        return data


def unresolved() -> ColumnElement[bool]:
    """`status IN ('open', 'claimed', 'waiting')` with literal values, as in the partial index
    ix_requests_unresolved_created_at_id (SQLite matches a partial index's term as written)."""
    return RequestRow.status.in_([literal_column(f"'{value}'") for value in UNRESOLVED])


def breached(now: datetime) -> ColumnElement[bool]:
    """SQL for "past its next due time", as `bot.core.sla.sla_standing` decides it: the first
    response is due until staff at this level acted, then the resolution; a request whose clock
    is paused (waiting for its requester) is judged at the moment the clock stopped."""
    first_pending = RequestRow.first_response_at.is_(None)

    def late(clock: datetime | ColumnElement[datetime | None]) -> ColumnElement[bool]:
        return or_(
            and_(first_pending, RequestRow.first_response_due < clock),
            and_(~first_pending, RequestRow.resolution_due < clock),
        )

    paused = RequestRow.paused_at.is_not(None)
    return and_(
        unresolved(),
        or_(and_(~paused, late(now)), and_(paused, late(RequestRow.paused_at.expression))),
    )


def requests_query(
    *,
    status: Status | None = None,
    level: Level | None = None,
    site: str | None = None,
    breached_at: datetime | None = None,
) -> Select[Any]:  # its row type differs between SQLAlchemy 2.0 and 2.1
    """Requests newest first, filtered; each filter is served by an index (see orm.py)."""
    query = select(RequestRow).order_by(RequestRow.created_at.desc(), RequestRow.id.desc())
    if status is not None:
        query = query.where(RequestRow.status == status.value)
        if status.value in UNRESOLVED:  # lets the small index of unresolved requests serve
            query = query.where(unresolved())
    if level is not None:
        query = query.where(RequestRow.level == level.value)
    if site is not None:
        query = query.where(RequestRow.site == site)
    if breached_at is not None:
        query = query.where(breached(breached_at))
    return query


def list_requests(
    session: Session,
    *,
    status: Status | None = None,
    level: Level | None = None,
    site: str | None = None,
    breached_at: datetime | None = None,
    limit: int | None = None,
) -> list[RequestRecord]:
    """Requests newest first, optionally only of one status, level and/or site, or only those
    past their next due time at `breached_at`."""
    query = requests_query(status=status, level=level, site=site, breached_at=breached_at)
    if limit is not None:
        query = query.limit(limit)
    return [RequestRecord(request_from_row(row)) for row in session.scalars(query)]


def with_standings(
    records: list[RequestRecord], sla: SlaPolicy, now: datetime
) -> list[RequestRecord]:
    return [replace(r, standing=sla.standing(r.request, now)) for r in records]


def find_request(session: Session, ref: str) -> RequestRecord | None:
    """One request with its full history; None when the reference is unknown."""
    row = session.scalars(select(RequestRow).where(RequestRow.ref == ref)).one_or_none()
    if row is None:
        return None
    return RequestRecord(request_from_row(row), tuple(history_of(session, ref)))


def _claimer(r: SupportRequest) -> str:
    return r.claimed_by.identity if r.claimed_by else ""


def _claimer_name(r: SupportRequest) -> str:
    return r.claimed_by.display_name if r.claimed_by else ""


def _due(which: str) -> Callable[[SupportRequest], str]:
    def read(r: SupportRequest) -> str:
        return getattr(r.deadlines, which).isoformat() if r.deadlines else ""

    return read


def _time(which: str) -> Callable[[SupportRequest], str]:
    def read(r: SupportRequest) -> str:
        moment: datetime | None = getattr(r, which)
        return moment.isoformat() if moment else ""

    return read


# What a coordinator needs in a spreadsheet, in this order; times are ISO-8601 UTC.
CSV_COLUMNS: dict[str, Callable[[SupportRequest], str]] = {
    "ref": lambda r: r.ref,
    "level": lambda r: r.level.value,
    "status": lambda r: r.status.value,
    "platform": lambda r: r.requester.platform,
    "requester_id": lambda r: r.requester.user_id,
    "requester_name": lambda r: r.requester.display_name,
    "language": lambda r: r.language,
    "site": lambda r: r.site or "",
    "question": lambda r: r.question,
    "feedback": lambda r: r.feedback.value,
    "suggested_ids": lambda r: " ".join(r.suggested_ids),
    "claimed_by": _claimer,
    "claimed_by_name": _claimer_name,
    "created_at": _time("created_at"),
    "updated_at": _time("updated_at"),
    "first_response_due": _due("first_response"),
    "resolution_due": _due("resolution"),
    "first_response_at": _time("first_response_at"),
    "resolved_at": _time("resolved_at"),
    "resolution_note": lambda r: r.resolution_note or "",
}


EXPORT_BATCH = 1000  # rows fetched at a time: a million-request export stays small in memory
SLA_COLUMNS = ("sla_state", "sla_next_due")


def iter_records(
    session: Session,
    sla: SlaPolicy | None = None,
    now: datetime | None = None,
    last_id: int | None = None,
) -> Iterator[RequestRecord]:
    """Every request (up to id `last_id`), oldest first, with its SLA standing at `now` when
    `sla` is given."""
    query = select(RequestRow).order_by(RequestRow.id).execution_options(yield_per=EXPORT_BATCH)
    if last_id is not None:  # the export's audit lines name exactly these requests
        query = query.where(RequestRow.id <= last_id)
    for row in session.scalars(query):
        request = request_from_row(row)
        standing = sla.standing(request, now) if sla is not None and now is not None else None
        yield RequestRecord(request, standing=standing)
        session.expunge(row)  # keep the identity map from growing with the export


def export_csv(
    session: Session,
    out: TextIO,
    sla: SlaPolicy | None = None,
    now: datetime | None = None,
    last_id: int | None = None,
) -> int:
    """Write every request, oldest first, with one header line; returns the rows written.
    The SLA columns are filled when `sla` and `now` are given."""
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *SLA_COLUMNS])
    written = 0
    for record in iter_records(session, sla, now, last_id):
        standing = record.standing
        sla_cells = (standing.state.value, standing.due.isoformat()) if standing else ("", "")
        writer.writerow([*(column(record.request) for column in CSV_COLUMNS.values()), *sla_cells])
        written += 1
    return written


def export_jsonl(
    session: Session,
    out: TextIO,
    sla: SlaPolicy | None = None,
    now: datetime | None = None,
    last_id: int | None = None,
) -> int:
    """One JSON object a line per request (as `register list --json`), oldest first."""
    written = 0
    for record in iter_records(session, sla, now, last_id):
        out.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")
        written += 1
    return written
