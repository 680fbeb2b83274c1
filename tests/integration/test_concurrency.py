"""Two staff acting on one request at the same moment are serialised by the register."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bot.core.model import Person, Status
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import a_request, at

# Long enough that, without a lock, the other thread would read the request before this save.
THINKING_TIME_S = 0.3


def _claim(uow: SqlUnitOfWorkFactory, ref: str, who: Person, start: threading.Barrier) -> bool:
    """What the core does on a claim click: get, check the status, save, commit."""
    with uow() as work:
        start.wait()
        request = work.requests.get(ref)
        assert request is not None
        if request.status is not Status.OPEN:
            return False
        time.sleep(THINKING_TIME_S)
        request.status, request.claimed_by, request.updated_at = Status.CLAIMED, who, at(1)
        work.requests.save(request)
        work.commit()
        return True


def test_two_staff_claiming_one_request_at_once_only_one_gets_it(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.commit()
    staff = [Person("slack", "U0CAROL003", "Carol"), Person("telegram", "222", "Dan")]
    start = threading.Barrier(len(staff))
    with ThreadPoolExecutor(max_workers=len(staff)) as pool:
        futures = [pool.submit(_claim, uow, request.ref, who, start) for who in staff]
        won = [future.result(timeout=30) for future in futures]
    assert sorted(won) == [False, True]
    winner = staff[won.index(True)]
    with uow() as work:
        stored = work.requests.get(request.ref)
    assert stored is not None
    assert (stored.status, stored.claimed_by) == (Status.CLAIMED, winner)


def _handle_once(uow: SqlUnitOfWorkFactory, key: str, start: threading.Barrier) -> bool:
    with uow() as work:
        start.wait()
        first = work.first_delivery(key)
        time.sleep(THINKING_TIME_S if first else 0)
        work.commit()
        return first


def test_an_event_delivered_twice_at_once_is_handled_once(uow: SqlUnitOfWorkFactory) -> None:
    start = threading.Barrier(2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_handle_once, uow, "slack:Ev0RACE", start) for _ in range(2)]
        firsts = [future.result(timeout=30) for future in futures]
    assert sorted(firsts) == [False, True]
