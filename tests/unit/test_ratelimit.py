"""Per-person rate limits: the sliding windows on a fake clock, and the limit on questions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.context import DeskConfig
from bot.core.desk import SupportDesk
from bot.core.outgoing import SuggestionsReply, TextReply
from bot.core.ratelimit import SWEEP_EVERY, SlidingWindowLimiter, Window
from tests.fakes import FakeClock
from tests.unit.conftest import World

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def limiter(clock: FakeClock, per_minute: int = 3, per_hour: int = 5) -> SlidingWindowLimiter:
    return SlidingWindowLimiter(clock, [Window(per_minute, MINUTE), Window(per_hour, HOUR)])


def test_events_within_the_limit_pass_and_the_next_is_refused() -> None:
    limit = limiter(FakeClock())
    assert [limit.try_acquire("alice") for _ in range(4)] == [True, True, True, False]


def test_the_window_slides_rather_than_resetting_on_the_minute() -> None:
    clock = FakeClock()
    limit = limiter(clock)
    limit.try_acquire("alice")
    clock.advance(seconds=40)
    limit.try_acquire("alice")
    limit.try_acquire("alice")
    clock.advance(seconds=21)  # the first event is now more than a minute old, the others not
    assert limit.try_acquire("alice")
    assert not limit.try_acquire("alice")


def test_refused_attempts_do_not_count_so_waiting_is_enough() -> None:
    clock = FakeClock()
    limit = limiter(clock)
    for _ in range(3):
        limit.try_acquire("alice")
    for _ in range(20):
        clock.advance(seconds=1)
        limit.try_acquire("alice")
    clock.advance(seconds=41)
    assert limit.try_acquire("alice")


def test_the_hourly_limit_holds_even_when_each_minute_is_quiet() -> None:
    clock = FakeClock()
    limit = limiter(clock)
    for _ in range(5):
        assert limit.try_acquire("alice")
        clock.advance(minutes=2)
    assert not limit.try_acquire("alice")
    clock.advance(minutes=51)  # the first of the five is now more than an hour old
    assert limit.try_acquire("alice")


def test_each_person_has_their_own_allowance() -> None:
    limit = limiter(FakeClock())
    for _ in range(3):
        limit.try_acquire("alice")
    assert not limit.try_acquire("alice")
    assert limit.try_acquire("bob")


def test_people_who_went_quiet_are_forgotten() -> None:
    clock = FakeClock()
    limit = limiter(clock)
    limit.try_acquire("alice")
    clock.advance(hours=2)
    for n in range(SWEEP_EVERY):
        limit.try_acquire(f"user-{n % 2}")
    assert limit.tracked() == 2


@pytest.mark.parametrize(
    "windows",
    [[], [Window(0, MINUTE)], [Window(3, timedelta(0))]],
    ids=["no window", "zero count", "zero length"],
)
def test_a_limit_that_could_never_pass_is_refused_at_construction(windows: list[Window]) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SlidingWindowLimiter(FakeClock(), windows)


def limited_desk(world: World, per_minute: int = 2, per_hour: int = 60) -> SupportDesk:
    config = DeskConfig(questions_per_minute=per_minute, questions_per_hour=per_hour)
    return SupportDesk(replace(world.desk.deps, config=config))


def test_a_question_over_the_limit_gets_a_friendly_message_and_nothing_is_stored(
    world: World,
) -> None:
    desk = limited_desk(world)
    desk.ask(world.alice, "printer broken")
    desk.ask(world.alice, "scanner broken")
    (reply,) = desk.ask(world.alice, "screen broken")
    assert isinstance(reply, TextReply)
    assert "Please wait a few minutes" in reply.text
    assert len(world.uow.store.inquiries) == 2
    assert len(world.uow.store.requests) == 2
    assert len(world.notifier.delivered) == 2


def test_questions_are_welcome_again_once_the_minute_has_passed(world: World) -> None:
    desk = limited_desk(world)
    desk.ask(world.alice, "printer broken")
    desk.ask(world.alice, "scanner broken")
    world.clock.advance(seconds=61)
    (reply,) = desk.ask(world.alice, "screen broken")
    assert isinstance(reply, TextReply)
    assert "logged your question" in reply.text


def test_another_person_can_still_ask_while_someone_is_limited(world: World) -> None:
    desk = limited_desk(world, per_minute=1)
    desk.ask(world.alice, "printer broken")
    desk.ask(world.alice, "scanner broken")
    (reply,) = desk.ask(world.bob, "screen broken")
    assert isinstance(reply, TextReply)
    assert "logged your question" in reply.text


def test_button_clicks_are_not_limited(world: World) -> None:
    desk = limited_desk(world, per_minute=1)
    (suggestions,) = desk.ask(world.alice, "forgot password")
    assert isinstance(suggestions, SuggestionsReply)
    (reply,) = desk.give_feedback(world.alice, suggestions.inquiry_id, None)
    assert isinstance(reply, TextReply)
    assert "logged your question" in reply.text
