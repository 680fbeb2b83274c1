"""The field user's side of the support desk, against in-memory fakes."""

from __future__ import annotations

import re

from bot.core.model import Level, Outcome, Status
from bot.core.outgoing import StaffPing, SuggestionsReply, TextReply
from tests.unit.conftest import World

REF = re.compile(r"\b[A-Z]+-[0-9]+\b")


def suggestions_for(world: World, question: str) -> SuggestionsReply:
    (reply,) = world.desk.ask(world.alice, question)
    assert isinstance(reply, SuggestionsReply)
    return reply


def text_of(replies: list[TextReply | SuggestionsReply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return reply.text


def test_a_question_gets_matching_articles_with_both_choices(world: World) -> None:
    reply = suggestions_for(world, "I forgot my password")
    assert [a.article_id for a in reply.articles] == ["forgot-password", "account-locked"]
    assert reply.solved_label == "This solved it"
    assert reply.none_label == "None of these helped"


def test_an_article_that_solved_it_is_recorded_as_a_deflection_and_logs_nothing(
    world: World,
) -> None:
    reply = suggestions_for(world, "forgot password")
    answer = text_of(world.desk.give_feedback(world.alice, reply.inquiry_id, "forgot-password"))
    assert "Glad" in answer
    inquiry = world.uow.store.inquiries[reply.inquiry_id]
    assert inquiry.outcome is Outcome.SOLVED
    assert inquiry.solved_article_id == "forgot-password"
    assert world.uow.store.requests == {}
    assert world.notifier.delivered == []


def test_none_helped_logs_an_l1_request_with_a_reference_and_pings_l1(world: World) -> None:
    reply = suggestions_for(world, "forgot password")
    answer = text_of(world.desk.give_feedback(world.alice, reply.inquiry_id, None))
    (ref,) = set(REF.findall(answer))
    request = world.uow.store.requests[ref]
    assert request.level is Level.L1
    assert request.status is Status.OPEN
    assert request.feedback is Outcome.NONE_HELPED
    assert request.suggested_ids == ("forgot-password", "account-locked")
    # 8 working hours from Monday 10:00 in a 09-17 day: 7 on Monday, 1 on Tuesday.
    assert "should answer by Tue 24 Nov 10:00 UTC" in answer
    (ping,) = world.notifier.delivered
    assert isinstance(ping, StaffPing)
    assert ping.level is Level.L1
    assert ping.view.ref == ref


def test_a_question_no_article_matches_is_logged_at_once(world: World) -> None:
    answer = text_of(world.desk.ask(world.alice, "the printer in the office is broken"))
    assert "could not find an article" in answer
    (ref,) = set(REF.findall(answer))
    assert world.uow.store.requests[ref].feedback is Outcome.NO_MATCH


def test_an_empty_question_gets_a_friendly_hint_and_changes_nothing(world: World) -> None:
    answer = text_of(world.desk.ask(world.alice, "  \u200b \x07 "))
    assert "type your question" in answer
    assert world.uow.store.commits == 0


def test_a_too_long_question_is_refused_politely(world: World) -> None:
    answer = text_of(world.desk.ask(world.alice, "password " * 400))
    assert "very long" in answer
    assert world.uow.store.inquiries == {}


def test_pressing_a_button_twice_changes_nothing_the_second_time(world: World) -> None:
    reply = suggestions_for(world, "forgot password")
    world.desk.give_feedback(world.alice, reply.inquiry_id, None)
    again = text_of(world.desk.give_feedback(world.alice, reply.inquiry_id, None))
    assert "already answered" in again
    assert len(world.uow.store.requests) == 1


def test_someone_else_cannot_answer_for_your_suggestions(world: World) -> None:
    reply = suggestions_for(world, "forgot password")
    answer = text_of(world.desk.give_feedback(world.bob, reply.inquiry_id, None))
    assert "expired" in answer
    assert world.uow.store.requests == {}


def test_a_redelivered_event_is_answered_once(world: World) -> None:
    from dataclasses import replace

    event = replace(world.alice, event_key="Ev001")
    assert world.desk.ask(event, "printer broken")
    assert world.desk.ask(event, "printer broken") == []
    assert len(world.uow.store.requests) == 1


def test_status_lists_only_your_own_open_requests(world: World) -> None:
    world.desk.ask(world.alice, "printer broken")
    world.desk.ask(world.bob, "scanner broken")
    answer = text_of(world.desk.status(world.alice))
    assert "SR-1" in answer
    assert "SR-2" not in answer
    assert "waiting for a support person" in answer


def test_status_with_nothing_open_says_so(world: World) -> None:
    assert "no open requests" in text_of(world.desk.status(world.alice))


def test_an_unexpected_failure_gets_an_apology_not_a_traceback(world: World) -> None:
    class BrokenKb:
        def suggest(self, *args: object, **kwargs: object) -> list[object]:
            raise RuntimeError("index corrupted at /secret/path")

    from dataclasses import replace

    from bot.core.desk import SupportDesk

    desk = SupportDesk(replace(world.desk.deps, kb=BrokenKb()))  # type: ignore[arg-type]
    answer = text_of(desk.ask(world.alice, "password"))
    assert "something went wrong" in answer
    assert "secret" not in answer
