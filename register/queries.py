"""Read-side queries of the register for the command line and reports: lists, one request, CSV."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.model import HistoryEntry, Level, Status, SupportRequest
from register.mapping import request_from_row
from register.orm import RequestRow
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


@dataclass(frozen=True)
class RequestRecord:
    """A request as the register shows it; `history` is None when it was not loaded."""

    request: SupportRequest
    history: tuple[HistoryEntry, ...] | None = None

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
        }
        if self.history is not None:
            data["history"] = [history_json(entry) for entry in self.history]
        return data


def list_requests(
    session: Session,
    *,
    status: Status | None = None,
    level: Level | None = None,
    limit: int | None = None,
) -> list[RequestRecord]:
    """Requests newest first, optionally only of one status and/or level."""
    query = select(RequestRow).order_by(RequestRow.created_at.desc(), RequestRow.id.desc())
    if status is not None:
        query = query.where(RequestRow.status == status.value)
    if level is not None:
        query = query.where(RequestRow.level == level.value)
    if limit is not None:
        query = query.limit(limit)
    return [RequestRecord(request_from_row(row)) for row in session.scalars(query)]


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


def export_csv(session: Session, out: TextIO) -> int:
    """Write every request, oldest first, with one header line; returns the rows written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for row in session.scalars(select(RequestRow).order_by(RequestRow.id)):
        request = request_from_row(row)
        writer.writerow(column(request) for column in CSV_COLUMNS.values())
        written += 1
    return written
