"""Business-hours calendar maths and the per-level SLA targets that give a request its due times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.model import Deadlines, Level, SlaStanding, SlaState, Status, SupportRequest

if TYPE_CHECKING:
    from bot.core.ports import SlaPolicy

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with no working time would loop forever; a year without one is a configuration error.
MAX_DAYS_SEARCHED = 366


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours of a site: which weekdays, from when to when, local time, minus holidays."""

    timezone: str = "UTC"
    start: time = time(9, 0)
    end: time = time(17, 0)
    workdays: frozenset[int] = frozenset(range(5))  # Monday = 0
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.end <= self.start and self.end != time(0, 0):
            raise ValueError("a working day must end after it starts")
        if not self.workdays:
            raise ValueError("a calendar needs at least one working day")

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local day in UTC, or None when nobody works that day."""
        if day.weekday() not in self.workdays or day in self.holidays:
            return None
        zone = ZoneInfo(self.timezone)
        opens = datetime.combine(day, self.start, tzinfo=zone)
        end_day = day + timedelta(days=1) if self.end == time(0, 0) else day
        closes = datetime.combine(end_day, self.end, tzinfo=zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of working time has passed after `start` (UTC result).

        Arithmetic is done in UTC between windows computed per local day, so daylight-saving
        changes shorten or lengthen only the night, never the count of working time.
        """
        remaining = amount
        moment = start.astimezone(UTC)
        day = moment.astimezone(ZoneInfo(self.timezone)).date()
        for _ in range(MAX_DAYS_SEARCHED * 8):
            window = self._window(day)
            if window is not None and moment < window[1]:
                moment = max(moment, window[0])
                available = window[1] - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("no working time found in the calendar")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end`; zero when `end` is not after `start`."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        zone = ZoneInfo(self.timezone)
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        total = timedelta()
        while day <= last:
            window = self._window(day)
            if window is not None:
                total += max(timedelta(), min(end, window[1]) - max(start, window[0]))
            day += timedelta(days=1)
        return total


@dataclass(frozen=True)
class LevelTargets:
    """Example targets of a support team, in working hours; not Primero's SLA."""

    first_response_hours: float
    resolution_hours: float


@dataclass(frozen=True)
class DueSoonWarning:
    """A due time is near when at most this share of its target, or this many working hours,
    is left (whichever is more)."""

    fraction: float = 0.25
    hours: float = 0.0

    def threshold(self, target_hours: float) -> timedelta:
        return timedelta(hours=max(self.fraction * target_hours, self.hours))


def sla_standing(
    request: SupportRequest,
    now: datetime,
    calendar: BusinessCalendar,
    targets: LevelTargets,
    warning: DueSoonWarning,
) -> SlaStanding | None:
    """The request's next due time and its state; None when resolved or without due times.

    The first response is due until staff at the current level acted, then the resolution.
    While the request waits for its requester the clock stands still at `paused_at`."""
    if request.deadlines is None or request.status is Status.RESOLVED:
        return None
    clock = request.paused_at or now
    if request.first_response_at is None:
        due, target = request.deadlines.first_response, "first_response"
        hours = targets.first_response_hours
    else:
        due, target, hours = request.deadlines.resolution, "resolution", targets.resolution_hours
    if clock > due:
        state = SlaState.BREACHED
    elif calendar.working_time_between(clock, due) <= warning.threshold(hours):
        state = SlaState.DUE_SOON
    else:
        state = SlaState.ON_TRACK
    return SlaStanding(state, due, target, paused=request.paused_at is not None)


def pause_clock(request: SupportRequest, now: datetime) -> None:
    """The request now waits for its requester: its SLA clock stands still from `now`."""
    if request.paused_at is None:
        request.paused_at = now


def resume_clock(request: SupportRequest, policy: SlaPolicy, now: datetime) -> None:
    """The requester answered: the due times move on by the working time spent waiting."""
    paused_at, request.paused_at = request.paused_at, None
    if paused_at is not None and request.deadlines is not None:
        request.deadlines = policy.resumed(request.deadlines, request.site, paused_at, now)


@dataclass(frozen=True)
class BusinessHoursSla:
    """SLA policy: per-level targets counted in the working hours of the request's site."""

    targets: Mapping[Level, LevelTargets]
    default_calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    site_calendars: Mapping[str, BusinessCalendar] = field(default_factory=dict)
    warning: DueSoonWarning = field(default_factory=DueSoonWarning)

    def standing(self, request: SupportRequest, now: datetime) -> SlaStanding | None:
        targets = self.targets.get(request.level)
        if targets is None:
            return None
        calendar = self.calendar_for(request.site)
        return sla_standing(request, now, calendar, targets, self.warning)

    def resumed(
        self, deadlines: Deadlines, site: str | None, paused_at: datetime, now: datetime
    ) -> Deadlines:
        """`deadlines` pushed by the working time between `paused_at` and `now`."""
        calendar = self.calendar_for(site)
        spent = calendar.working_time_between(paused_at, now)
        if not spent:  # adding nothing would still move a due time at closing to next opening
            return deadlines
        return Deadlines(
            calendar.add_working_time(deadlines.first_response, spent),
            calendar.add_working_time(deadlines.resolution, spent),
        )

    def calendar_for(self, site: str | None) -> BusinessCalendar:
        return self.site_calendars.get(site or "", self.default_calendar)

    def deadlines(self, level: Level, site: str | None, start: datetime) -> Deadlines:
        calendar = self.calendar_for(site)
        target = self.targets[level]
        return Deadlines(
            first_response=calendar.add_working_time(
                start, timedelta(hours=target.first_response_hours)
            ),
            resolution=calendar.add_working_time(start, timedelta(hours=target.resolution_hours)),
        )


def parse_workdays(names: list[str]) -> frozenset[int]:
    """`["mon", "tue"]` -> {0, 1}; unknown names raise ValueError naming them."""
    unknown = [name for name in names if name.lower()[:3] not in WEEKDAYS]
    if unknown:
        raise ValueError(f"unknown weekday(s): {', '.join(unknown)}")
    return frozenset(WEEKDAYS.index(name.lower()[:3]) for name in names)
