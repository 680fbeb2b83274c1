"""Many staff working at once through the real SupportDesk on SQLite and PostgreSQL: one claim
wins, the others are told who has it, and no history line is lost or out of order."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Action, Address, Level, Person
from bot.core.outgoing import Reply, TextReply
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes import FakeKnowledgeBase, RecordingNotifier

STAFF = ["lina", "omar", "ines", "tariq", "sofia", "kwame"]
# The desk reads the clock while it holds the request's lock; answering slowly keeps that
# lock long enough for every other claim to queue behind it instead of slipping past.
CLOCK_DELAY_S = 0.05


class SlowClock:
    def now(self) -> datetime:
        time.sleep(CLOCK_DELAY_S)
        return datetime.now(UTC)


def someone(user_id: str) -> Incoming:
    return Incoming(Person("test", user_id, user_id.title()), Address("test", f"chat-{user_id}"))


@pytest.fixture
def desk(uow: SqlUnitOfWorkFactory) -> SupportDesk:
    deps = DeskDeps(
        unit_of_work=uow,
        kb=FakeKnowledgeBase([]),  # nothing matches: every question is logged at once
        notifier=RecordingNotifier(),
        clock=SlowClock(),
        catalogue=DictCatalogue(),
        staff=AllowListDirectory({Level.L1: [f"test:{name}" for name in STAFF]}),
        sla=BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24))),
    )
    return SupportDesk(deps)


def text_of(replies: list[Reply]) -> str:
    (reply,) = replies
    assert isinstance(reply, TextReply)
    return reply.text


def log_requests(desk: SupportDesk, count: int) -> list[str]:
    for number in range(count):
        desk.ask(someone(f"field{number}"), f"Tablet {number} will not sync")
    refs = [f"SR-{n}" for n in range(1, count + 1)]
    with desk.deps.unit_of_work() as uow:
        assert all(uow.requests.get(ref) is not None for ref in refs)
    return refs


def test_two_staff_claiming_at_the_same_instant_one_wins_and_the_other_is_told_who(
    desk: SupportDesk,
) -> None:
    (ref,) = log_requests(desk, 1)
    start = threading.Barrier(2)

    def claim(name: str) -> str:
        start.wait()
        return text_of(desk.claim(someone(name), ref))

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = dict(zip(["lina", "omar"], pool.map(claim, ["lina", "omar"]), strict=True))
    winner = next(name for name, answer in answers.items() if answer == f"You have claimed {ref}.")
    loser = "omar" if winner == "lina" else "lina"
    assert answers[loser] == f"{ref} is already claimed by {winner.title()}."
    with desk.deps.unit_of_work() as uow:
        request, history = uow.requests.get(ref), uow.requests.history(ref)
    assert request is not None
    assert request.claimed_by == someone(winner).sender
    claims = [entry for entry in history if entry.action is Action.CLAIMED]
    assert [entry.actor for entry in claims] == [f"test:{winner}"]


def work_through(desk: SupportDesk, name: str, refs: list[str], start: threading.Barrier) -> None:
    """Claim every request in a random order; reply on each one won."""
    me = someone(name)
    order = random.Random(name).sample(refs, len(refs))
    start.wait()
    for ref in order:
        if text_of(desk.claim(me, ref)) == f"You have claimed {ref}.":
            desk.reply(me, ref, f"{name} is on it")


def test_many_staff_working_many_requests_at_once_lose_and_mix_no_history(
    desk: SupportDesk,
) -> None:
    refs = log_requests(desk, 5)
    start = threading.Barrier(len(STAFF))
    with ThreadPoolExecutor(max_workers=len(STAFF)) as pool:
        for future in [pool.submit(work_through, desk, name, refs, start) for name in STAFF]:
            future.result(timeout=120)
    with desk.deps.unit_of_work() as uow:
        for ref in refs:
            request, history = uow.requests.get(ref), uow.requests.history(ref)
            assert request is not None
            assert request.claimed_by is not None
            claimer = request.claimed_by.identity
            assert [(e.action, e.actor) for e in history][1:] == [
                (Action.CLAIMED, claimer),
                (Action.REPLIED, claimer),
            ]
            assert history[0].action is Action.LOGGED
            assert [e.id for e in history] == sorted(e.id or 0 for e in history)
