"""The support staff's side of the desk: claim, reply, resolve, escalate, and who may do it."""

from __future__ import annotations

from bot.core.model import Action, Level, Status
from bot.core.outgoing import PingRefresh, Reply, RequesterNotice, StaffPing, StaffRelay, TextReply
from tests.unit.conftest import World


def text_of(replies: list[Reply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return reply.text


def logged_request(world: World) -> str:
    world.desk.ask(world.alice, "the printer is broken")
    world.notifier.delivered.clear()
    return "SR-1"


def notices(world: World) -> list[str]:
    return [n.text for n in world.notifier.delivered if isinstance(n, RequesterNotice)]


def test_l1_staff_claims_a_request_and_the_requester_is_told(world: World) -> None:
    ref = logged_request(world)
    assert "You have claimed SR-1" in text_of(world.desk.claim(world.lina, ref))
    request = world.uow.store.requests[ref]
    assert request.status is Status.CLAIMED
    assert request.claimed_by == world.lina.sender
    assert request.first_response_at == world.clock.now()
    assert notices(world) == ["Lina from the support team is now looking at your request SR-1."]
    assert any(isinstance(n, PingRefresh) for n in world.notifier.delivered)


def test_claiming_your_own_request_again_says_you_already_have_it(world: World) -> None:
    ref = logged_request(world)
    world.desk.claim(world.lina, ref)
    assert text_of(world.desk.claim(world.lina, ref)) == "You have already claimed SR-1."


def test_claim_by_other_l1_staff_names_the_claimer(world: World) -> None:
    from dataclasses import replace

    from bot.core.desk import SupportDesk
    from bot.core.directory import AllowListDirectory
    from tests.unit.conftest import person

    staff = AllowListDirectory({Level.L1: ["test:lina", "test:omar"]})
    desk = SupportDesk(replace(world.desk.deps, staff=staff))
    ref = logged_request(world)
    desk.claim(world.lina, ref)
    assert text_of(desk.claim(person("omar", "Omar"), ref)) == "SR-1 is already claimed by Lina."


def test_a_staff_reply_reaches_the_requester_and_the_request_waits_for_them(world: World) -> None:
    ref = logged_request(world)
    world.desk.reply(world.lina, ref, "Use the Forgot your password? link.")
    request = world.uow.store.requests[ref]
    assert request.status is Status.WAITING
    assert request.claimed_by == world.lina.sender
    (notice,) = [n for n in world.notifier.delivered if isinstance(n, RequesterNotice)]
    assert notice.to == world.alice.reply_to
    assert "Use the Forgot your password? link." in notice.text


def test_the_requesters_answer_goes_back_to_staff_and_resumes_the_request(world: World) -> None:
    ref = logged_request(world)
    world.desk.reply(world.lina, ref, "Which browser?")
    world.notifier.delivered.clear()
    assert "passed to the team" in text_of(world.desk.answer_staff(world.alice, ref, "Chrome"))
    assert world.uow.store.requests[ref].status is Status.CLAIMED
    relay = [n for n in world.notifier.delivered if isinstance(n, StaffRelay)]
    assert relay == [StaffRelay(ref=ref, level=Level.L1, text="Chrome")]


def test_nobody_else_can_answer_on_a_requesters_behalf(world: World) -> None:
    ref = logged_request(world)
    assert "not one of your requests" in text_of(world.desk.answer_staff(world.bob, ref, "hi"))


def test_escalation_goes_l1_to_l2_to_l3_with_a_ping_each_time(world: World) -> None:
    ref = logged_request(world)
    world.desk.claim(world.lina, ref)
    assert "escalated to L2" in text_of(world.desk.escalate(world.lina, ref, "needs config"))
    request = world.uow.store.requests[ref]
    assert request.level is Level.L2
    assert request.status is Status.OPEN
    assert request.claimed_by is None
    assert "escalated to L3" in text_of(world.desk.escalate(world.carlos, ref))
    pings = [n.level for n in world.notifier.delivered if isinstance(n, StaffPing)]
    assert pings == [Level.L2, Level.L3]
    assert any("developers (Level 3)" in text for text in notices(world))


def test_escalating_past_l3_is_refused_and_changes_nothing(world: World) -> None:
    ref = logged_request(world)
    world.desk.escalate(world.lina, ref)
    world.desk.escalate(world.carlos, ref)
    before = len(world.uow.store.history)
    assert "highest support level" in text_of(world.desk.escalate(world.dev, ref))
    assert world.uow.store.requests[ref].level is Level.L3
    assert len(world.uow.store.history) == before


def test_resolving_tells_the_requester_with_the_note(world: World) -> None:
    ref = logged_request(world)
    world.desk.resolve(world.lina, ref, "Printer driver reinstalled")
    request = world.uow.store.requests[ref]
    assert request.status is Status.RESOLVED
    assert request.resolution_note == "Printer driver reinstalled"
    (text,) = notices(world)
    assert "SR-1 is resolved" in text
    assert "Printer driver reinstalled" in text


def test_a_resolved_request_cannot_be_resolved_or_escalated_again(world: World) -> None:
    ref = logged_request(world)
    world.desk.resolve(world.lina, ref)
    world.notifier.delivered.clear()
    assert "already resolved" in text_of(world.desk.resolve(world.lina, ref))
    assert "already resolved" in text_of(world.desk.escalate(world.lina, ref))
    assert world.notifier.delivered == []


def test_an_unknown_reference_is_explained(world: World) -> None:
    assert "There is no request SR-99" in text_of(world.desk.claim(world.lina, "sr-99"))


def test_an_empty_staff_reply_is_refused(world: World) -> None:
    ref = logged_request(world)
    assert "write the text of your reply" in text_of(world.desk.reply(world.lina, ref, "  "))
    assert world.uow.store.requests[ref].status is Status.OPEN


def test_someone_not_on_the_levels_list_is_refused_and_the_attempt_recorded(world: World) -> None:
    ref = logged_request(world)
    answer = text_of(world.desk.claim(world.mallory, ref))
    assert answer == "Sorry, only L1 support staff can act on SR-1."
    assert world.uow.store.requests[ref].claimed_by is None
    last = world.uow.store.history[-1]
    assert last.action is Action.REFUSED
    assert last.actor == "test:mallory"


def test_staff_of_another_level_cannot_act_on_this_level(world: World) -> None:
    ref = logged_request(world)
    assert "only L1 support staff" in text_of(world.desk.claim(world.carlos, ref))


def test_every_action_is_written_to_the_history_in_order(world: World) -> None:
    ref = logged_request(world)
    world.desk.claim(world.lina, ref)
    world.desk.reply(world.lina, ref, "Try again")
    world.desk.answer_staff(world.alice, ref, "Still broken")
    world.desk.escalate(world.lina, ref)
    world.desk.resolve(world.carlos, ref, "Fixed")
    actions = [(e.action, e.actor) for e in world.uow.store.history if e.ref == ref]
    assert actions == [
        (Action.LOGGED, "test:alice"),
        (Action.CLAIMED, "test:lina"),
        (Action.REPLIED, "test:lina"),
        (Action.REQUESTER_ANSWERED, "test:alice"),
        (Action.ESCALATED, "test:lina"),
        (Action.RESOLVED, "test:carlos"),
    ]


def test_l3_pings_leave_out_who_asked(world: World) -> None:
    ref = logged_request(world)
    world.desk.escalate(world.lina, ref)
    world.desk.escalate(world.carlos, ref)
    (l3_ping,) = [
        n for n in world.notifier.delivered if isinstance(n, StaffPing) and n.level is Level.L3
    ]
    assert not any("Alice" in line for line in l3_ping.view.lines)
    l1_view = next(n for n in world.notifier.delivered if isinstance(n, StaffPing)).view
    assert any("Alice" in line for line in l1_view.lines)
