"""The SLA report for coordinators: per level and site, how requests fared against the targets.

Times are counted in the working hours of the request's site (the hours the targets are in); a
time to resolution includes any time spent waiting for the requester. A request counts under
its current level: one escalated to L2 is an L2 request, its first response timed from when it
got there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bot.core.model import Level, SlaState, Status
from bot.core.sla import BusinessCalendar, BusinessHoursSla
from register.mapping import request_from_row
from register.orm import RequestRow

BATCH = 5000  # rows fetched at a time
ALL = "all"  # the level and site of the total line
Period = tuple[datetime | None, datetime | None]  # created in [since, until)


@dataclass
class _Tally:
    """What is collected for one level and site before the medians and shares are taken."""

    requests: int = 0
    first_response_hours: list[float] = field(default_factory=list)
    resolution_hours: list[float] = field(default_factory=list)
    first_response_met: int = 0
    resolution_met: int = 0
    open: int = 0
    due_soon: int = 0
    breached_now: int = 0

    def add(self, other: _Tally) -> None:
        self.requests += other.requests
        self.first_response_hours += other.first_response_hours
        self.resolution_hours += other.resolution_hours
        self.first_response_met += other.first_response_met
        self.resolution_met += other.resolution_met
        self.open += other.open
        self.due_soon += other.due_soon
        self.breached_now += other.breached_now


@dataclass(frozen=True)
class ReportLine:
    """One level and site (or `ALL` of them). Shares are 0-1; None when nothing was measured."""

    level: str
    site: str
    requests: int
    open: int
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    first_response_within: float | None
    resolution_within: float | None
    due_soon: int
    breached_now: int


@dataclass(frozen=True)
class _Timing:
    level: str
    site: str | None
    started: datetime  # when the request reached its current level
    created: datetime
    responded: datetime | None
    response_due: datetime | None
    resolved: datetime | None
    resolution_due: datetime | None


def _in_period(period: Period) -> list[ColumnElement[bool]]:
    since, until = period
    conditions = []
    if since is not None:
        conditions.append(RequestRow.created_at >= since)
    if until is not None:
        conditions.append(RequestRow.created_at < until)
    return conditions


def _timings(session: Session, period: Period) -> Iterable[_Timing]:
    """Only the columns the timing needs: a million requests are read as plain tuples."""
    query = select(
        RequestRow.level,
        RequestRow.site,
        RequestRow.level_entered_at,
        RequestRow.created_at,
        RequestRow.first_response_at,
        RequestRow.first_response_due,
        RequestRow.resolved_at,
        RequestRow.resolution_due,
    )
    query = query.where(*_in_period(period)).execution_options(yield_per=BATCH)
    for row in session.execute(query):
        level, site, entered, created, *times = row
        yield _Timing(level, site, entered or created, created, *times)


def _hours(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    return calendar.working_time_between(start, end) / timedelta(hours=1)


def _count_timing(tally: _Tally, calendar: BusinessCalendar, timing: _Timing) -> None:
    tally.requests += 1
    if timing.responded is not None:
        tally.first_response_hours.append(_hours(calendar, timing.started, timing.responded))
        due = timing.response_due
        tally.first_response_met += due is not None and timing.responded <= due
    if timing.resolved is not None:
        tally.resolution_hours.append(_hours(calendar, timing.created, timing.resolved))
        due = timing.resolution_due
        tally.resolution_met += due is not None and timing.resolved <= due


def _count_open(
    tallies: dict[tuple[str, str], _Tally],
    session: Session,
    sla: BusinessHoursSla,
    now: datetime,
    period: Period,
) -> None:
    """Where the open requests stand now, by the core's own rule (`sla.standing`)."""
    query = select(RequestRow).where(
        RequestRow.status != Status.RESOLVED.value, *_in_period(period)
    )
    for row in session.scalars(query.execution_options(yield_per=BATCH)):
        request = request_from_row(row)
        tally = tallies.setdefault((request.level.value, request.site or ""), _Tally())
        tally.open += 1
        standing = sla.standing(request, now)
        tally.due_soon += standing is not None and standing.state is SlaState.DUE_SOON
        tally.breached_now += standing is not None and standing.state is SlaState.BREACHED


def sla_report(
    session: Session,
    sla: BusinessHoursSla,
    now: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ReportLine]:
    """One line per level and site with requests created in [since, until), then the total;
    nothing when there are no such requests."""
    tallies: dict[tuple[str, str], _Tally] = {}
    for timing in _timings(session, (since, until)):
        tally = tallies.setdefault((timing.level, timing.site or ""), _Tally())
        _count_timing(tally, sla.calendar_for(timing.site), timing)
    _count_open(tallies, session, sla, now, (since, until))
    order = [level.value for level in Level]
    keys = sorted(tallies, key=lambda key: (order.index(key[0]), key[1] == "", key[1].lower()))
    lines = [_line(level, site or "-", [tallies[(level, site)]]) for level, site in keys]
    return [*lines, _line(ALL, ALL, tallies.values())] if lines else []


def _share(met: int, measured: int) -> float | None:
    return met / measured if measured else None


def _median(values: list[float]) -> float | None:
    return median(values) if values else None


def _line(level: str, site: str, tallies: Iterable[_Tally]) -> ReportLine:
    total = _Tally()
    for tally in tallies:
        total.add(tally)
    return ReportLine(
        level=level,
        site=site,
        requests=total.requests,
        open=total.open,
        median_first_response_hours=_median(total.first_response_hours),
        median_resolution_hours=_median(total.resolution_hours),
        first_response_within=_share(total.first_response_met, len(total.first_response_hours)),
        resolution_within=_share(total.resolution_met, len(total.resolution_hours)),
        due_soon=total.due_soon,
        breached_now=total.breached_now,
    )
