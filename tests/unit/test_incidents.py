"""Incidents: alike requests grouped under one L3 incident, "known issue" answers, and staff
resolving the incident for everyone who reported it, each in their own language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.desk import SupportDesk
from bot.core.model import Action, IncidentStatus, Level, Outcome, Status
from bot.core.outgoing import (
    KnownIssueReply,
    PingRefresh,
    Reply,
    RequesterNotice,
    StaffPing,
    StaffRelay,
    SuggestionsReply,
    TextReply,
)
from bot.i18n.languages import load_languages
from kb_index.similarity import StemOverlapSimilarity
from tests.unit.conftest import World, person

SAME_PROBLEM = (
    "Export of cases to Excel fails with an error",
    "Exporting cases to Excel fails with error",
    "Case export to Excel fails with an error message",
    "Excel export of cases gives an error",
)


@pytest.fixture
def desk(world: World) -> SupportDesk:
    catalogue, _ = load_languages()
    deps = replace(world.desk.deps, similarity=StemOverlapSimilarity(), catalogue=catalogue)
    return SupportDesk(deps)


def text_of(replies: list[Reply]) -> str:
    *_, reply = replies
    assert isinstance(reply, TextReply | KnownIssueReply)
    return reply.text


def l3_pings(world: World) -> list[StaffPing]:
    return [n for n in world.notifier.delivered if isinstance(n, StaffPing) and n.level is Level.L3]


def notices(world: World) -> dict[str, str]:
    """Requester notices by the chat they went to."""
    found = [n for n in world.notifier.delivered if isinstance(n, RequesterNotice)]
    return {n.to.chat_id: n.text for n in found}


def report_three(world: World, desk: SupportDesk) -> None:
    askers = [world.alice, world.bob, person("carol", "Carol", language="fr")]
    for asker, question in zip(askers, SAME_PROBLEM, strict=False):
        desk.ask(asker, question)


def test_the_third_alike_request_opens_an_incident_and_pings_l3(
    world: World, desk: SupportDesk
) -> None:
    desk.ask(world.alice, SAME_PROBLEM[0])
    desk.ask(world.bob, SAME_PROBLEM[1])
    assert world.uow.store.incidents == {}
    assert l3_pings(world) == []
    desk.ask(person("carol", "Carol"), SAME_PROBLEM[2])

    incident = world.uow.store.incidents["INC-1"]
    assert incident.level is Level.L3
    assert incident.status is IncidentStatus.OPEN
    assert incident.summary == SAME_PROBLEM[0]
    assert world.uow.store.request_incidents == {"SR-1": "INC-1", "SR-2": "INC-1", "SR-3": "INC-1"}
    (ping,) = l3_pings(world)
    assert ping.view.ref == "INC-1"
    assert ping.view.title == "New incident INC-1: 3 similar requests"
    shown = "\n".join(ping.view.lines)
    assert "3 requests" in shown
    assert SAME_PROBLEM[0] in shown
    assert not any(name in shown for name in ("Alice", "Bob", "Carol", "chat-"))
    assert {a.verb for a in ping.view.actions} == {"claim", "reply", "resolve"}
    linked = [e.ref for e in world.uow.store.history if e.action is Action.INCIDENT_LINKED]
    assert sorted(linked) == ["SR-1", "SR-2", "SR-3"]
    # Worked on as one incident at L3: the sweeper must not escalate them one by one.
    assert all(world.uow.store.requests[ref].paused_at is not None for ref in linked)


def test_each_grouped_requester_is_told_their_request_is_part_of_the_incident(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    told = notices(world)
    assert told["chat-alice"] == (
        "Your request SR-1 describes a problem other people have reported too (INC-1). "
        "Our developers are working on it, and we will tell you here when it is fixed."
    )
    assert "SR-2" in told["chat-bob"]
    assert told["chat-carol"].startswith("Votre demande SR-3")  # in her language


def test_a_different_problem_is_not_grouped(world: World, desk: SupportDesk) -> None:
    desk.ask(world.alice, SAME_PROBLEM[0])
    desk.ask(world.bob, "The printer in the office is broken")
    desk.ask(person("carol", "Carol"), SAME_PROBLEM[1])
    assert world.uow.store.incidents == {}
    desk.ask(person("dana", "Dana"), SAME_PROBLEM[2])
    assert "SR-2" not in world.uow.store.request_incidents
    assert len(world.uow.store.request_incidents) == 3


def test_a_question_matching_an_open_incident_is_a_known_issue_and_logs_nothing(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    world.notifier.delivered.clear()
    replies = desk.ask(person("dana", "Dana"), SAME_PROBLEM[3])

    (reply,) = replies
    assert isinstance(reply, KnownIssueReply)
    assert "known problem we are already working on (INC-1, reported by 4 people" in reply.text
    assert "status: being investigated" in reply.text
    assert reply.different_label == "My problem is different"
    assert len(world.uow.store.requests) == 3
    inquiry = world.uow.store.inquiries[reply.inquiry_id]
    assert inquiry.outcome is Outcome.KNOWN_ISSUE
    assert inquiry.request_ref is None
    assert world.uow.store.inquiry_incidents == {reply.inquiry_id: "INC-1"}
    refreshed = [n for n in world.notifier.delivered if isinstance(n, PingRefresh)]
    assert [n.view.ref for n in refreshed] == ["INC-1"]
    assert "3 requests, 1 known-issue answers" in "\n".join(refreshed[0].view.lines)


def test_my_problem_is_different_logs_a_normal_request_outside_the_incident(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    dana = person("dana", "Dana")
    (reply,) = desk.ask(dana, SAME_PROBLEM[3])
    assert isinstance(reply, KnownIssueReply)

    answer = text_of(desk.give_feedback(dana, reply.inquiry_id, None))
    assert "I have logged your question for the support team as SR-4" in answer
    request = world.uow.store.requests["SR-4"]
    assert request.level is Level.L1
    assert request.feedback is Outcome.NONE_HELPED
    assert "SR-4" not in world.uow.store.request_incidents
    assert text_of(desk.give_feedback(dana, reply.inquiry_id, None)) == (
        "You have already answered about these suggestions."
    )


def test_resolving_tells_every_reporter_in_their_own_language(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    desk.ask(person("dana", "Dana", language="es"), SAME_PROBLEM[3])
    world.notifier.delivered.clear()

    answer = text_of(desk.resolve(world.dev, "inc-1", "Fixed in version 2.11.3"))
    assert answer == "INC-1 is resolved; 4 requesters have been told."
    told = notices(world)
    assert told["chat-alice"].startswith(
        "Good news: the problem you reported (SR-1) is fixed. Note from the support team: "
        "Fixed in version 2.11.3. If it still happens"
    )
    assert told["chat-carol"].startswith("Bonne nouvelle")
    assert "SR-3" in told["chat-carol"]
    assert "2.11.3" in told["chat-carol"]
    assert told["chat-dana"].startswith("Buenas noticias")
    assert "INC-1" in told["chat-dana"]
    for ref in ("SR-1", "SR-2", "SR-3"):
        assert world.uow.store.requests[ref].status is Status.RESOLVED
    resolved = [e for e in world.uow.store.history if e.action is Action.RESOLVED]
    assert {e.detail for e in resolved} == {"resolved with INC-1: Fixed in version 2.11.3"}
    refreshed = {n.view.ref for n in world.notifier.delivered if isinstance(n, PingRefresh)}
    assert refreshed == {"INC-1", "SR-1", "SR-2", "SR-3"}
    incident = world.uow.store.incidents["INC-1"]
    assert incident.status is IncidentStatus.RESOLVED
    assert incident.resolved_by == "test:dev"


def test_a_request_logged_after_the_incident_opened_joins_it(
    world: World, desk: SupportDesk
) -> None:
    offline = (
        "Cases do not sync when offline on the tablet",
        "Offline cases are not syncing on my tablet",
        "Tablet offline cases do not sync",
        "My offline cases on the tablet do not sync",
    )
    dana = person("dana", "Dana")
    askers = [dana, world.alice, world.bob, person("carol", "Carol")]
    inquiries = {}
    for asker, question in zip(askers, offline, strict=True):
        (*_, suggestions) = desk.ask(asker, question)  # the KB has an article about offline use
        assert isinstance(suggestions, SuggestionsReply)
        inquiries[asker.sender.user_id] = suggestions.inquiry_id
    for asker in askers[1:]:
        desk.give_feedback(asker, inquiries[asker.sender.user_id], None)
    assert "INC-1" in world.uow.store.incidents
    world.notifier.delivered.clear()

    desk.give_feedback(dana, inquiries["dana"], None)
    assert world.uow.store.request_incidents["SR-4"] == "INC-1"
    (refresh,) = [n for n in world.notifier.delivered if isinstance(n, PingRefresh)]
    assert refresh.view.ref == "INC-1"
    assert "4 requests" in "\n".join(refresh.view.lines)
    assert l3_pings(world) == []


def test_only_l3_staff_may_resolve_and_nothing_changes_otherwise(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    world.notifier.delivered.clear()
    assert text_of(desk.resolve(world.lina, "INC-1", "done")) == (
        "Sorry, only L3 support staff can act on INC-1."
    )
    assert world.uow.store.incidents["INC-1"].status is IncidentStatus.OPEN
    assert world.uow.store.requests["SR-1"].status is Status.OPEN
    assert world.notifier.delivered == []


def test_resolving_twice_is_refused(world: World, desk: SupportDesk) -> None:
    report_three(world, desk)
    desk.resolve(world.dev, "INC-1")
    world.notifier.delivered.clear()
    assert text_of(desk.resolve(world.dev, "INC-1")) == "Incident INC-1 is already resolved."
    assert world.notifier.delivered == []


def test_claim_and_reply_reach_every_reporter_and_unknown_incidents_are_refused(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    assert text_of(desk.claim(world.dev, "INC-1")) == "You have claimed incident INC-1."
    (known,) = desk.ask(person("dana", "Dana"), SAME_PROBLEM[3])
    assert isinstance(known, KnownIssueReply)
    assert "status: being fixed" in known.text
    world.notifier.delivered.clear()
    answer = text_of(desk.reply(world.dev, "INC-1", "A fix is being tested."))
    assert answer == "Your update on INC-1 was sent to 4 requesters."
    assert notices(world)["chat-bob"] == (
        "Update from the developers (Dev) about the problem INC-1: A fix is being tested."
    )
    assert world.uow.store.requests["SR-1"].status is Status.OPEN
    assert text_of(desk.escalate(world.dev, "INC-1")) == (
        "INC-1 is an incident, already at L3: it cannot be escalated."
    )
    assert "There is no incident INC-9" in text_of(desk.claim(world.dev, "INC-9"))


def test_a_reporter_answering_the_fix_notice_reaches_the_developers_and_others_cannot(
    world: World, desk: SupportDesk
) -> None:
    report_three(world, desk)
    dana = person("dana", "Dana")
    desk.ask(dana, SAME_PROBLEM[3])  # a "known issue" answer: no request of her own
    desk.resolve(world.dev, "INC-1", "Fixed in 2.11.3")
    world.notifier.delivered.clear()

    answer = text_of(desk.answer_staff(dana, "INC-1", "It still happens, call me on 0772 123456"))
    assert answer == "Thank you, your answer about INC-1 has been passed to the team."
    (relay,) = [n for n in world.notifier.delivered if isinstance(n, StaffRelay)]
    assert (relay.ref, relay.level) == ("INC-1", Level.L3)
    assert "It still happens" in relay.text
    assert "0772" not in relay.text  # masked like every requester answer

    world.notifier.delivered.clear()
    stranger = person("erin", "Erin")
    assert text_of(desk.answer_staff(stranger, "INC-1", "me too")) == (
        "INC-1 is not one of your requests."
    )
    assert world.notifier.delivered == []


def test_a_linked_requester_answering_their_request_reaches_the_incident_pings_too(
    world: World, desk: SupportDesk
) -> None:
    """Once a request joins an incident the developers work on it: an answer to its notice
    ("it happens on every export") reaches the incident's L3 pings, not only L1's."""
    report_three(world, desk)
    world.notifier.delivered.clear()

    answer = desk.answer_staff(world.bob, "SR-2", "It happens on every export, call 0772 123456")
    assert text_of(answer) == "Thank you, your answer about SR-2 has been passed to the team."
    relays = {n.ref: n for n in world.notifier.delivered if isinstance(n, StaffRelay)}
    assert sorted(relays) == ["INC-1", "SR-2"]
    assert relays["INC-1"].level is Level.L3
    assert relays["INC-1"].text.startswith("(SR-2) It happens on every export")
    assert "0772" not in relays["INC-1"].text


def test_an_answer_on_a_request_outside_any_incident_reaches_only_its_own_pings(
    world: World, desk: SupportDesk
) -> None:
    desk.ask(world.alice, "The printer in the office is broken")
    world.notifier.delivered.clear()
    desk.answer_staff(world.alice, "SR-1", "It is the one on the second floor")
    relays = [n for n in world.notifier.delivered if isinstance(n, StaffRelay)]
    assert [(n.ref, n.level) for n in relays] == [("SR-1", Level.L1)]
