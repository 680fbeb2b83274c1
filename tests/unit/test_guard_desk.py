"""The guard in the support desk: case data is masked before it is stored, searched or pinged."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.context import DeskConfig
from bot.core.desk import SupportDesk
from bot.core.outgoing import (
    Notification,
    PingRefresh,
    Reply,
    StaffPing,
    StaffRelay,
    SuggestionsReply,
    TextReply,
)
from tests.unit.conftest import World

REF = re.compile(r"\b[A-Z]+-[0-9]+\b")


def texts(replies: list[Reply]) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, TextReply)]


def ping_lines(notifications: list[Notification]) -> str:
    views = [n.view for n in notifications if isinstance(n, StaffPing | PingRefresh)]
    return "\n".join(line for view in views for line in (view.title, *view.lines))


def test_a_question_with_a_phone_number_is_stored_and_pinged_masked_and_the_user_is_told(
    world: World,
) -> None:
    replies = world.desk.ask(world.alice, "the printer is broken, call me on +252 61 234 5678")
    note, logged = texts(replies)
    assert "removed a phone number" in note
    assert "Please do not share case details here" in note
    (ref,) = set(REF.findall(logged))
    assert world.uow.store.requests[ref].question == "the printer is broken, call me on [phone]"
    (inquiry,) = world.uow.store.inquiries.values()
    assert "234" not in inquiry.question
    lines = ping_lines(world.notifier.delivered)
    assert "[phone]" in lines
    assert not re.search(r"252|5678|61 234", lines)


def test_the_note_names_every_kind_that_was_removed(world: World) -> None:
    replies = world.desk.ask(
        world.alice, "printer broken for the child named Amina Yusuf, call 0612 345 678, x@y.org"
    )
    note = texts(replies)[0]
    assert "removed a name, a phone number and an e-mail address from your message" in note


def test_the_masked_question_is_what_the_knowledge_base_searches(world: World) -> None:
    replies = world.desk.ask(world.alice, "forgot password of the child named Password Smith")
    assert isinstance(replies[-1], SuggestionsReply)
    (inquiry,) = world.uow.store.inquiries.values()
    assert inquiry.question == "forgot password of the child named [name]"


def test_a_question_without_case_data_gets_no_note_and_is_stored_as_typed(world: World) -> None:
    question = "Mark for offline fails on version 2.15.2 after 30 minutes, see SR-12"
    (reply,) = world.desk.ask(world.alice, question)
    assert isinstance(reply, SuggestionsReply)
    (inquiry,) = world.uow.store.inquiries.values()
    assert inquiry.question == question


def test_a_redelivered_question_with_case_data_is_answered_once_without_a_second_note(
    world: World,
) -> None:
    event = replace(world.alice, event_key="Ev-guard")
    assert len(world.desk.ask(event, "printer broken, call 0612 345 678")) == 2
    assert world.desk.ask(event, "printer broken, call 0612 345 678") == []


def test_the_requesters_answer_to_staff_is_masked_in_the_relay_and_the_history(
    world: World,
) -> None:
    world.desk.ask(world.alice, "the printer is broken")
    world.notifier.delivered.clear()
    replies = world.desk.answer_staff(world.alice, "SR-1", "her DOB is 12/03/2015, case a1b2c3d")
    note, received = texts(replies)
    assert "a date of birth and a case or incident ID" in note
    assert "SR-1" in received
    (relay,) = [n for n in world.notifier.delivered if isinstance(n, StaffRelay)]
    assert relay.text == "her DOB is [date of birth], case [case id]"
    assert "2015" not in ping_lines(world.notifier.delivered)
    assert all("2015" not in entry.detail for entry in world.uow.store.history)


def test_a_refused_answer_gets_no_note_about_passing_anything_on(world: World) -> None:
    replies = world.desk.answer_staff(world.alice, "SR-99", "call me on 0612 345 678")
    assert texts(replies) == ["SR-99 is not one of your requests."]


def test_staff_replies_are_not_masked(world: World) -> None:
    world.desk.ask(world.alice, "the printer is broken")
    world.desk.reply(world.lina, "SR-1", "Call the help desk on 0612 345 678")
    history = [entry.detail for entry in world.uow.store.history]
    assert "Call the help desk on 0612 345 678" in history


def test_a_question_whose_placeholders_grow_past_the_cap_is_cut_to_the_cap(world: World) -> None:
    deps = replace(world.desk.deps, config=DeskConfig(max_question_chars=120))
    desk = SupportDesk(deps)
    question = ("a@b.co " * 17).strip()  # 118 characters; every address becomes "[email]"
    desk.ask(world.alice, question)
    (request,) = world.uow.store.requests.values()
    assert len(request.question) == 120
    assert request.question.endswith("…")
    assert "@" not in request.question
