"""The SQL unit of work owns the transaction: commit keeps, anything else leaves no trace."""

from __future__ import annotations

from typing import NoReturn

import pytest

from bot.core.model import Address
from bot.core.outgoing import RequesterNotice
from register.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory
from tests.integration.builders import ALICE, a_request, an_inquiry

NOTICE = RequesterNotice("SR-1", Address("slack", "D0ALICE"), "Your request was claimed")


class HandlerFailedError(Exception):
    pass


def _fail_after_adding(uow: SqlUnitOfWorkFactory) -> NoReturn:
    with uow() as work:
        work.requests.add(a_request())
        work.publish(NOTICE)
        raise HandlerFailedError(work)


def _count_for_alice(uow: SqlUnitOfWorkFactory) -> int:
    with uow() as work:
        return len(work.requests.list_for_requester(ALICE, open_only=False))


def test_nothing_is_stored_or_published_when_the_work_is_not_committed(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        request, inquiry = a_request(), an_inquiry()
        work.requests.add(request)
        work.inquiries.add(inquiry)
        work.publish(NOTICE)
    assert work.published == []
    assert _count_for_alice(uow) == 0
    with uow() as work:
        assert work.requests.get(request.ref) is None
        assert inquiry.id is not None
        assert work.inquiries.get(inquiry.id) is None


def test_an_exception_rolls_everything_back(uow: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(HandlerFailedError) as failure:
        _fail_after_adding(uow)
    assert failure.value.args[0].published == []
    assert _count_for_alice(uow) == 0


def test_committed_work_is_stored_and_its_notifications_kept(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        work.requests.add(a_request())
        work.publish(NOTICE)
        work.commit()
    assert work.published == [NOTICE]
    assert _count_for_alice(uow) == 1


def test_an_explicit_rollback_drops_only_what_came_after_the_last_commit(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        work.requests.add(a_request())
        work.publish(NOTICE)
        work.commit()
        work.requests.add(a_request())
        work.publish(RequesterNotice("SR-2", Address("slack", "D0ALICE"), "lost"))
        work.rollback()
        assert work.published == [NOTICE]
    assert _count_for_alice(uow) == 1


def test_a_new_event_is_a_first_delivery_and_its_repeat_is_not(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        assert work.first_delivery("slack:Ev0001") is True
        assert work.first_delivery("slack:Ev0001") is False
        assert work.first_delivery("telegram:update:1") is True
        work.commit()


def test_an_event_seen_in_a_committed_unit_of_work_is_not_delivered_again(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        assert work.first_delivery("slack:Ev0002") is True
        work.commit()
    with uow() as work:
        assert work.first_delivery("slack:Ev0002") is False


def test_an_event_whose_handling_rolled_back_can_be_delivered_again(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        assert work.first_delivery("slack:Ev0003") is True
    with uow() as work:
        assert work.first_delivery("slack:Ev0003") is True


def test_a_repeated_event_does_not_undo_the_work_done_before_it(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        work.first_delivery("slack:Ev0004")
        work.commit()
    with uow() as work:
        work.requests.add(a_request())
        assert work.first_delivery("slack:Ev0004") is False
        work.commit()
    assert _count_for_alice(uow) == 1


def test_very_long_event_keys_are_recorded_too(uow: SqlUnitOfWorkFactory) -> None:
    long_key = "slack:" + "x" * 400
    with uow() as work:
        assert work.first_delivery(long_key) is True
        work.commit()
    with uow() as work:
        assert work.first_delivery(long_key) is False
        assert work.first_delivery(long_key + "y") is True


def test_a_unit_of_work_is_used_inside_a_with_block_only(uow: SqlUnitOfWorkFactory) -> None:
    work = uow()
    with pytest.raises(RuntimeError):
        work.commit()
    with work, pytest.raises(RuntimeError), work:
        pass
    with pytest.raises(RuntimeError):
        work.first_delivery("slack:Ev0005")


def test_the_factory_makes_a_fresh_unit_of_work_each_time(uow: SqlUnitOfWorkFactory) -> None:
    first, second = uow(), uow()
    assert isinstance(first, SqlUnitOfWork)
    assert first is not second


def test_requests_added_in_one_unit_of_work_can_be_read_back_before_commit(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        request = a_request(reply_to=Address("slack", "C0HELP", "1.5"))
        work.requests.add(request)
        assert work.requests.get(request.ref) == request
