"""Working-time arithmetic of the SLA clock: weekends, holidays, time zones, daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.model import Level
from bot.core.sla import BusinessCalendar, BusinessHoursSla, LevelTargets, parse_workdays


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_time_inside_a_working_day_is_added_directly() -> None:
    assert BusinessCalendar().add_working_time(utc(2026, 11, 23, 10), timedelta(hours=3)) == utc(
        2026, 11, 23, 13
    )


def test_a_request_after_hours_starts_counting_next_morning() -> None:
    friday_evening = utc(2026, 11, 27, 18)
    assert BusinessCalendar().add_working_time(friday_evening, timedelta(hours=2)) == utc(
        2026, 11, 30, 11
    )


def test_the_weekend_is_skipped() -> None:
    friday_4pm = utc(2026, 11, 27, 16)
    assert BusinessCalendar().add_working_time(friday_4pm, timedelta(hours=3)) == utc(
        2026, 11, 30, 11
    )


def test_holidays_are_skipped() -> None:
    calendar = BusinessCalendar(holidays=frozenset({date(2026, 11, 24)}))
    monday_4pm = utc(2026, 11, 23, 16)
    assert calendar.add_working_time(monday_4pm, timedelta(hours=2)) == utc(2026, 11, 25, 10)


def test_hours_are_counted_in_the_sites_time_zone() -> None:
    nairobi = BusinessCalendar(timezone="Africa/Nairobi")  # UTC+3, day 06:00-14:00 UTC
    assert nairobi.add_working_time(utc(2026, 11, 23, 13), timedelta(hours=2)) == utc(
        2026, 11, 24, 7
    )


def test_a_daylight_saving_change_does_not_stretch_working_time() -> None:
    # Europe/Paris leaves summer time on Sunday 25 October 2026: Friday is UTC+2, Monday UTC+1.
    paris = BusinessCalendar(timezone="Europe/Paris")
    friday_4pm_local = utc(2026, 10, 23, 14)
    # One hour left on Friday, one more from 09:00 Paris on Monday = 08:00 UTC.
    assert paris.add_working_time(friday_4pm_local, timedelta(hours=2)) == utc(2026, 10, 26, 9)


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        BusinessCalendar(workdays=frozenset())


def test_a_day_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        BusinessCalendar(start=time(17), end=time(9))


def test_weekday_names_are_parsed_and_unknown_ones_named() -> None:
    assert parse_workdays(["Sun", "mon", "Tuesday"]) == frozenset({6, 0, 1})
    with pytest.raises(ValueError, match="funday"):
        parse_workdays(["funday"])


def test_each_site_uses_its_own_calendar_for_due_times() -> None:
    sla = BusinessHoursSla(
        targets={level: LevelTargets(1, 8) for level in Level},
        site_calendars={
            "somalia": BusinessCalendar(
                workdays=parse_workdays(["sat", "sun", "mon", "tue", "wed"])
            )
        },
    )
    saturday_10am = utc(2026, 11, 28, 10)
    assert sla.deadlines(Level.L1, "somalia", saturday_10am).first_response == utc(2026, 11, 28, 11)
    assert sla.deadlines(Level.L1, None, saturday_10am).first_response == utc(2026, 11, 30, 10)
