"""A small register of four requests in different states, shared by query and CLI tests."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.model import Action, HistoryEntry, Level, Status
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import ALICE, BOB, CAROL, a_full_request, a_request, at


@dataclass(frozen=True)
class Seeded:
    open_l1: str  # logged first; has two history lines
    claimed_l2: str  # every field set
    resolved_l1: str
    waiting_l3: str  # logged last


def seed_register(uow: SqlUnitOfWorkFactory) -> Seeded:
    requests = [
        a_request(created_at=at(0), updated_at=at(0)),
        replace(a_full_request(), created_at=at(60)),
        a_request(
            BOB,
            created_at=at(120),
            updated_at=at(150),
            site=None,
            status=Status.RESOLVED,
            resolved_at=at(150),
        ),
        a_request(created_at=at(180), updated_at=at(180), level=Level.L3, status=Status.WAITING),
    ]
    with uow() as work:
        for request in requests:
            work.requests.add(request)
        first = requests[0].ref
        for minutes, who, action, detail in (
            (0, ALICE.identity, Action.LOGGED, "no_match"),
            (5, CAROL.identity, Action.REPLIED, "Try again"),
        ):
            work.requests.append_history(
                HistoryEntry(first, at(minutes), who, action, detail, Level.L1)
            )
        work.commit()
    return Seeded(*(request.ref for request in requests))
