"""The register's side of the SLA sweeper: which requests may need a reminder or an escalation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from register.orm import RequestRow

RUNNING = ("open", "claimed")  # waiting requests have their clock paused


def sweep_candidates(
    sessions: sessionmaker[Session], now: datetime, horizon: timedelta, limit: int = 5000
) -> list[str]:
    """Running requests whose next due time is within `horizon` (or past), oldest first.

    A wide wall-clock net: the sweeper decides in working time, per site calendar, which of
    them are really due soon. Served by the (status, due time) indexes."""
    until = now + horizon
    first_response_near = and_(
        RequestRow.first_response_at.is_(None), RequestRow.first_response_due <= until
    )
    query = (
        select(RequestRow.ref)
        .where(RequestRow.status.in_(RUNNING), RequestRow.paused_at.is_(None))
        .where(or_(first_response_near, RequestRow.resolution_due <= until))
        .order_by(RequestRow.id)
        .limit(limit)
    )
    with sessions() as session:
        return [ref for ref in session.scalars(query).all() if ref is not None]
