"""The real support desk works a request from question to resolution on the SQL register."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Action, Address, Level, Person, Status
from bot.core.outgoing import StaffPing
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes import FakeClock, FakeKnowledgeBase, RecordingNotifier


@dataclass
class Desk:
    desk: SupportDesk
    notifier: RecordingNotifier
    clock: FakeClock


def someone(user_id: str, name: str, event: str | None = None) -> Incoming:
    return Incoming(Person("test", user_id, name), Address("test", f"chat-{user_id}"), event)


@pytest.fixture
def desk(uow: SqlUnitOfWorkFactory) -> Desk:
    notifier, clock = RecordingNotifier(), FakeClock()
    deps = DeskDeps(
        unit_of_work=uow,
        kb=FakeKnowledgeBase([]),  # nothing matches: every question is logged at once
        notifier=notifier,
        clock=clock,
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({Level.L1: ["test:lina"]}),
        sla=BusinessHoursSla(targets={level: LevelTargets(8, 24) for level in Level}),
    )
    return Desk(SupportDesk(deps), notifier, clock)


def test_a_question_is_logged_claimed_and_resolved_with_its_history(
    desk: Desk, uow: SqlUnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    alice, lina = someone("alice", "Alice", "ev-1"), someone("lina", "Lina")
    desk.desk.ask(alice, "The tablet will not sync")
    pings = [n for n in desk.notifier.delivered if isinstance(n, StaffPing)]
    assert len(pings) == 1
    ref = pings[0].view.ref
    desk.clock.advance(minutes=10)
    desk.desk.claim(lina, ref)
    desk.clock.advance(minutes=10)
    desk.desk.resolve(lina, ref, "Updated the app")
    with uow() as work:
        request = work.requests.get(ref)
        history = work.requests.history(ref)
    assert request is not None
    assert (request.status, request.resolution_note) == (Status.RESOLVED, "Updated the app")
    assert request.first_response_at == desk.clock.current.replace(minute=10)
    assert [entry.action for entry in history][:1] == [Action.LOGGED]
    assert {Action.CLAIMED, Action.RESOLVED} <= {entry.action for entry in history}
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # the desk hides failures


def test_a_redelivered_question_is_logged_once(desk: Desk, uow: SqlUnitOfWorkFactory) -> None:
    alice = someone("alice", "Alice", "ev-2")
    desk.desk.ask(alice, "The tablet will not sync")
    assert desk.desk.ask(alice, "The tablet will not sync") == []
    with uow() as work:
        assert len(work.requests.list_for_requester(alice.sender, open_only=False)) == 1
