"""The SLA clock kept in the register: pauses survive a round trip, and the `--breached` filter
in SQL picks exactly the requests the core's own rule calls breached."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from bot.core.model import Deadlines, Level, SlaState, Status
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.database import make_session_factory
from register.queries import list_requests
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import MONDAY, a_request, at

SLA = BusinessHoursSla(targets=dict.fromkeys(Level, LevelTargets(8, 24)))
HOUR = timedelta(hours=1)


def test_the_clock_fields_survive_a_round_trip(uow: SqlUnitOfWorkFactory) -> None:
    request = a_request(level_entered_at=at(30), paused_at=at(45), status=Status.WAITING)
    with uow() as work:
        work.requests.add(request)
        work.commit()
    with uow() as work:
        stored = work.requests.get(request.ref)
    assert stored is not None
    assert (stored.level_entered_at, stored.paused_at) == (at(30), at(45))


def variety() -> list[dict[str, Any]]:
    """Requests on either side of each rule: every status, first response given or not,
    paused before or after its due times, due times in the past and the future."""
    first_due, resolution_due = MONDAY + 8 * HOUR, MONDAY + 24 * HOUR
    cases = []
    for status, responded, paused in itertools.product(
        list(Status),
        [None, at(5)],
        [None, first_due - HOUR, first_due + HOUR, resolution_due + HOUR],
    ):
        cases.append(
            {
                "status": status,
                "first_response_at": responded,
                "paused_at": paused,
                "deadlines": Deadlines(first_due, resolution_due),
            }
        )
    cases.append({"status": Status.OPEN, "deadlines": None})
    return cases


def test_the_breached_filter_agrees_with_the_cores_rule_at_every_moment(
    uow: SqlUnitOfWorkFactory, engine: Engine
) -> None:
    with uow() as work:
        for case in variety():
            work.requests.add(a_request(**case))
        work.commit()
    reading = make_session_factory(engine, read_only=True)
    for hours in (0, 7.5, 8.5, 23, 25, 200):
        now = MONDAY + hours * HOUR
        with reading() as session:
            everything = list_requests(session)
            filtered = {r.request.ref for r in list_requests(session, breached_at=now)}
        expected = set()
        for record in everything:
            standing = SLA.standing(record.request, now)
            if standing is not None and standing.state is SlaState.BREACHED:
                expected.add(record.request.ref)
        assert filtered == expected, f"at +{hours} h"
    assert expected  # the last moment has breached requests: the comparison compared something


def test_the_register_lists_filter_by_site(uow: SqlUnitOfWorkFactory, engine: Engine) -> None:
    with uow() as work:
        for site in ("Kenya", "Somalia", None, "Kenya"):
            work.requests.add(a_request(site=site))
        work.commit()
    with make_session_factory(engine, read_only=True)() as session:
        kenya = list_requests(session, site="Kenya")
        somalia_l2 = list_requests(session, site="Somalia", level=Level.L2)
    assert [r.request.ref for r in kenya] == ["SR-4", "SR-1"]
    assert somalia_l2 == []
