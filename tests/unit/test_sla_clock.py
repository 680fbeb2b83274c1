"""The SLA clock: working time between two moments, next due time and state, pause and resume."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import (
    Address,
    Deadlines,
    Level,
    Person,
    SlaStanding,
    SlaState,
    Status,
    SupportRequest,
)
from bot.core.outgoing import StaffPing
from bot.core.sla import (
    BusinessCalendar,
    BusinessHoursSla,
    DueSoonWarning,
    LevelTargets,
    pause_clock,
    resume_clock,
    sla_standing,
)
from tests.unit.conftest import World

HOUR = timedelta(hours=1)
CALENDAR = BusinessCalendar()  # UTC, 09:00-17:00, Monday to Friday
TARGETS = LevelTargets(first_response_hours=8, resolution_hours=24)
SLA = BusinessHoursSla(targets=dict.fromkeys(Level, TARGETS))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


MONDAY_10 = utc(2026, 11, 23, 10)


def a_request(**changes: object) -> SupportRequest:
    """Logged Monday 10:00 UTC: first response due Tuesday 10:00, resolution Thursday 10:00."""
    request = SupportRequest(
        requester=Person("test", "alice", "Alice"),
        reply_to=Address("test", "chat-alice"),
        question="sync fails",
        language="en",
        site=None,
        level=Level.L1,
        status=Status.OPEN,
        created_at=MONDAY_10,
        updated_at=MONDAY_10,
        deadlines=SLA.deadlines(Level.L1, None, MONDAY_10),
    )
    return replace(request, **changes)  # type: ignore[arg-type]


# Working time between two moments


def test_working_time_inside_one_day_is_the_plain_difference() -> None:
    assert CALENDAR.working_time_between(MONDAY_10, utc(2026, 11, 23, 13, 30)) == 3.5 * HOUR


def test_nights_and_weekends_do_not_count() -> None:
    friday_4pm, monday_10am = utc(2026, 11, 27, 16), utc(2026, 11, 30, 10)
    assert CALENDAR.working_time_between(friday_4pm, monday_10am) == 2 * HOUR


def test_holidays_do_not_count() -> None:
    calendar = BusinessCalendar(holidays=frozenset({date(2026, 11, 24)}))
    assert calendar.working_time_between(MONDAY_10, utc(2026, 11, 25, 10)) == 8 * HOUR


def test_an_end_before_the_start_is_no_working_time() -> None:
    assert CALENDAR.working_time_between(MONDAY_10, MONDAY_10 - HOUR) == timedelta(0)


def test_working_time_follows_the_sites_time_zone() -> None:
    nairobi = BusinessCalendar(timezone="Africa/Nairobi")  # 09:00-17:00 EAT = 06:00-14:00 UTC
    assert nairobi.working_time_between(utc(2026, 11, 23, 5), utc(2026, 11, 23, 15)) == 8 * HOUR


def test_a_daylight_saving_change_over_the_weekend_changes_no_working_hour() -> None:
    paris = BusinessCalendar(timezone="Europe/Paris")  # summer time ends Sunday 25 Oct 2026
    friday_4pm_local, monday_10am_local = utc(2026, 10, 23, 14), utc(2026, 10, 26, 9)
    assert paris.working_time_between(friday_4pm_local, monday_10am_local) == 2 * HOUR


def test_a_working_day_that_ends_at_midnight_counts_until_midnight() -> None:
    evening = BusinessCalendar(start=time(18), end=time(0))
    assert evening.working_time_between(MONDAY_10, utc(2026, 11, 24, 10)) == 6 * HOUR


ZONES = st.sampled_from(
    ["UTC", "Africa/Nairobi", "Europe/Paris", "America/Sao_Paulo", "Asia/Dhaka"]
)
MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    start = draw(st.integers(0, 20))
    end = draw(st.integers(start + 1, 24))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    holidays = draw(st.frozensets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=20))
    return BusinessCalendar(draw(ZONES), time(start), time(end % 24), days, holidays)


@settings(max_examples=300, deadline=None)
@given(calendars(), MOMENTS, st.integers(0, 200 * 60))
def test_adding_working_time_and_measuring_it_back_agree(
    calendar: BusinessCalendar, start: datetime, minutes: int
) -> None:
    amount = timedelta(minutes=minutes)
    assert calendar.working_time_between(start, calendar.add_working_time(start, amount)) == amount


@settings(max_examples=200, deadline=None)
@given(calendars(), MOMENTS, MOMENTS, MOMENTS)
def test_working_time_adds_up_over_consecutive_spans(
    calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime
) -> None:
    first, middle, last = sorted((a, b, c))
    between = calendar.working_time_between
    assert between(first, last) == between(first, middle) + between(middle, last)


# Next due time and state


def standing_at(
    request: SupportRequest, now: datetime, warning: DueSoonWarning | None = None
) -> SlaStanding | None:
    return sla_standing(request, now, CALENDAR, TARGETS, warning or DueSoonWarning())


def state_at(
    request: SupportRequest, now: datetime, warning: DueSoonWarning | None = None
) -> SlaState:
    standing = standing_at(request, now, warning)
    assert standing is not None
    return standing.state


def test_a_new_request_is_on_track_for_its_first_response() -> None:
    standing = standing_at(a_request(), MONDAY_10 + HOUR)
    assert standing is not None
    assert (standing.state, standing.target, standing.due) == (
        SlaState.ON_TRACK,
        "first_response",
        utc(2026, 11, 24, 10),
    )


def test_it_is_due_soon_with_a_quarter_of_the_target_left_in_working_hours() -> None:
    request = a_request()  # 8 working hours, due Tuesday 10:00: due soon 2 working hours before
    assert state_at(request, utc(2026, 11, 23, 15, 59)) is SlaState.ON_TRACK
    assert state_at(request, utc(2026, 11, 23, 16, 1)) is SlaState.DUE_SOON
    # At 17:30 the night is still ahead, but only one working hour is left.
    assert state_at(request, utc(2026, 11, 23, 17, 30)) is SlaState.DUE_SOON


def test_the_warning_can_be_a_number_of_working_hours() -> None:
    three_hours = DueSoonWarning(fraction=0, hours=3)
    assert state_at(a_request(), MONDAY_10, three_hours) is SlaState.ON_TRACK
    assert state_at(a_request(), utc(2026, 11, 23, 15), three_hours) is SlaState.DUE_SOON


def test_past_its_due_time_a_request_is_breached() -> None:
    request = a_request()
    assert state_at(request, utc(2026, 11, 24, 10)) is SlaState.DUE_SOON
    assert state_at(request, utc(2026, 11, 24, 10, 1)) is SlaState.BREACHED


def test_after_the_first_response_the_resolution_is_what_is_due() -> None:
    request = a_request(first_response_at=MONDAY_10 + HOUR, status=Status.CLAIMED)
    standing = standing_at(request, utc(2026, 11, 24, 11))  # first response would be late
    assert standing is not None
    assert (standing.state, standing.target) == (SlaState.ON_TRACK, "resolution")


def test_resolved_requests_and_requests_without_due_times_have_no_standing() -> None:
    assert standing_at(a_request(status=Status.RESOLVED), MONDAY_10) is None
    assert standing_at(a_request(deadlines=None), MONDAY_10) is None


def test_while_waiting_for_the_requester_the_state_is_frozen_where_the_clock_stopped() -> None:
    request = a_request(status=Status.WAITING, paused_at=MONDAY_10 + HOUR)
    standing = standing_at(request, utc(2026, 12, 25, 12))  # a month later
    assert standing is not None
    assert (standing.state, standing.paused) == (SlaState.ON_TRACK, True)


# Pausing and resuming


def test_resuming_pushes_both_due_times_by_the_working_time_spent_waiting() -> None:
    request = a_request(first_response_at=MONDAY_10, status=Status.WAITING)
    before = request.deadlines
    assert before is not None
    pause_clock(request, utc(2026, 11, 23, 12))
    resume_clock(request, SLA, utc(2026, 11, 24, 11))  # Monday 12-17 and Tuesday 9-11: 7 hours
    assert request.paused_at is None
    assert request.deadlines == Deadlines(
        CALENDAR.add_working_time(before.first_response, 7 * HOUR),
        CALENDAR.add_working_time(before.resolution, 7 * HOUR),
    )
    assert request.deadlines.resolution == utc(2026, 11, 26, 17)


def test_waiting_outside_working_hours_moves_nothing() -> None:
    request = a_request(deadlines=Deadlines(utc(2026, 11, 27, 17), utc(2026, 11, 30, 17)))
    pause_clock(request, utc(2026, 11, 28, 9))  # Saturday
    resume_clock(request, SLA, utc(2026, 11, 29, 18))  # Sunday
    assert request.deadlines == Deadlines(utc(2026, 11, 27, 17), utc(2026, 11, 30, 17))


def test_a_second_pause_keeps_the_first_moment_and_resuming_a_running_clock_changes_nothing() -> (
    None
):
    request = a_request()
    pause_clock(request, MONDAY_10)
    pause_clock(request, MONDAY_10 + HOUR)
    assert request.paused_at == MONDAY_10
    running = a_request()
    resume_clock(running, SLA, MONDAY_10 + 5 * HOUR)
    assert running.deadlines == a_request().deadlines


def test_each_site_has_its_own_hours_for_the_pause() -> None:
    nairobi = replace(SLA, site_calendars={"kenya": BusinessCalendar(timezone="Africa/Nairobi")})
    deadlines = Deadlines(utc(2026, 11, 25, 10), utc(2026, 11, 27, 10))
    # Monday 13:00-15:00 UTC is after hours in Nairobi (closes 14:00 UTC): one hour counts.
    pushed = nairobi.resumed(deadlines, "kenya", utc(2026, 11, 23, 13), utc(2026, 11, 23, 15))
    assert pushed.first_response == utc(2026, 11, 25, 11)


# Through the desk (in-memory register)


def logged(world: World) -> str:
    world.desk.ask(world.alice, "the printer is broken")
    return "SR-1"


def test_a_staff_reply_stops_the_clock_and_the_requesters_answer_restarts_it(world: World) -> None:
    ref = logged(world)
    world.desk.claim(world.lina, ref)
    before = world.uow.store.requests[ref].deadlines
    world.clock.advance(hours=1)
    world.desk.reply(world.lina, ref, "Which printer?")
    assert world.uow.store.requests[ref].paused_at == world.clock.now()
    world.clock.advance(hours=3)  # Monday 11:00 to 14:00, all working time
    world.desk.answer_staff(world.alice, ref, "The one on floor 2")
    request = world.uow.store.requests[ref]
    assert (request.status, request.paused_at) == (Status.CLAIMED, None)
    assert before is not None
    assert request.deadlines is not None
    assert request.deadlines.resolution == CALENDAR.add_working_time(before.resolution, 3 * HOUR)


def test_an_escalated_request_awaits_the_first_response_of_its_new_level(world: World) -> None:
    ref = logged(world)
    world.desk.claim(world.lina, ref)
    world.clock.advance(hours=2)
    world.desk.escalate(world.lina, ref, "needs a coordinator")
    request = world.uow.store.requests[ref]
    assert (request.level, request.first_response_at) == (Level.L2, None)
    assert request.level_entered_at == world.clock.now()
    standing = world.desk.deps.sla.standing(request, world.clock.now())
    assert standing is not None
    assert (standing.target, standing.due) == ("first_response", utc(2026, 11, 24, 12))
    world.desk.claim(world.carlos, ref)
    assert world.uow.store.requests[ref].first_response_at == world.clock.now()


def test_pings_say_where_the_request_stands_and_a_new_site_ping_carries_its_site(
    world: World,
) -> None:
    logged(world)
    (ping,) = [n for n in world.notifier.delivered if isinstance(n, StaffPing)]
    assert "SLA: on track (first response)" in ping.view.lines
    assert ping.site is None


def test_a_requester_sees_when_an_answer_is_overdue(world: World) -> None:
    logged(world)
    world.clock.advance(days=1, hours=1)  # Tuesday 11:00: the first response was due at 10:00
    (reply,) = world.desk.status(world.alice)
    assert "(overdue)" in getattr(reply, "text", "")


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_the_warning_share_must_be_between_0_and_1_in_the_settings(fraction: float) -> None:
    from pydantic import ValidationError

    from config.settings import SlaSettings

    with pytest.raises(ValidationError):
        SlaSettings(due_soon_fraction=fraction)
