"""The audit trail of the register itself: who looked at or exported which requests, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, literal, select
from sqlalchemy.orm import Session

from bot.core.model import Action
from register.orm import HistoryRow, RequestRow
from register.repository import request_id_of


def record_view(session: Session, ref: str, actor: str, at: datetime, detail: str = "") -> None:
    """One `viewed` line on the request's history; LookupError when the request is unknown."""
    request_id = request_id_of(session, ref)
    if request_id is None:
        raise LookupError(f"request {ref!r} is not in the register")
    session.add(
        HistoryRow(
            request_id=request_id, at=at, actor=actor, action=Action.VIEWED.value, detail=detail
        )
    )


def record_export(
    session: Session, last_id: int, actor: str, at: datetime, detail: str = ""
) -> int:
    """One `exported` line on every request with an id up to `last_id` (an export goes oldest
    first by id, so these are exactly the ones it wrote); returns how many lines were added.

    Per request rather than one summary line, so the history of any one person's request says
    who took it out of the register. A single INSERT … SELECT: a million lines are one statement
    in the database, never a million round trips."""
    chosen = select(
        RequestRow.id,
        literal(at, HistoryRow.at.type),
        literal(actor, HistoryRow.actor.type),
        literal(Action.EXPORTED.value, HistoryRow.action.type),
        literal(detail, HistoryRow.detail.type),
    ).where(RequestRow.id <= last_id)
    columns = ["request_id", "at", "actor", "action", "detail"]
    result = session.execute(insert(HistoryRow).from_select(columns, chosen))
    return int(getattr(result, "rowcount", 0) or 0)
