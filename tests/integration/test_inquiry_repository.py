"""The SQL inquiry repository keeps the questions the bot answered with suggestions."""

from __future__ import annotations

import pytest

from bot.core.model import Outcome
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import ALICE, NAIROBI, a_request, an_inquiry, at


def test_an_added_inquiry_gets_an_id_and_comes_back_with_every_field(
    uow: SqlUnitOfWorkFactory,
) -> None:
    inquiry = an_inquiry(created_at=at(0).astimezone(NAIROBI))
    with uow() as work:
        work.inquiries.add(inquiry)
        work.commit()
    assert isinstance(inquiry.id, int)
    with uow() as work:
        loaded = work.inquiries.get(inquiry.id)
    assert loaded == inquiry
    assert loaded is not None
    assert loaded.created_at.tzinfo is not None


def test_each_inquiry_gets_its_own_id(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        first, second = an_inquiry(), an_inquiry()
        work.inquiries.add(first)
        work.inquiries.add(second)
        work.commit()
    assert first.id != second.id


def test_an_answered_inquiry_keeps_its_outcome_and_its_request(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        inquiry = an_inquiry(requester=ALICE, site="kenya")
        work.inquiries.add(inquiry)
        work.commit()
    assert inquiry.id is not None
    with uow() as work:
        loaded = work.inquiries.get(inquiry.id)
        assert loaded is not None
        request = a_request()
        work.requests.add(request)
        loaded.outcome, loaded.request_ref, loaded.answered_at = (
            Outcome.NONE_HELPED,
            request.ref,
            at(3),
        )
        work.inquiries.save(loaded)
        work.commit()
    with uow() as work:
        assert work.inquiries.get(inquiry.id) == loaded


def test_a_solved_inquiry_records_the_article_that_solved_it(uow: SqlUnitOfWorkFactory) -> None:
    inquiry = an_inquiry(
        outcome=Outcome.SOLVED, solved_article_id="forgot-password", answered_at=at(1)
    )
    with uow() as work:
        work.inquiries.add(inquiry)
        work.commit()
    assert inquiry.id is not None
    with uow() as work:
        loaded = work.inquiries.get(inquiry.id)
    assert loaded is not None
    assert (loaded.outcome, loaded.solved_article_id) == (Outcome.SOLVED, "forgot-password")


def test_getting_an_unknown_inquiry_gives_none(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        assert work.inquiries.get(987654) is None


def test_saving_an_inquiry_that_was_never_added_is_refused(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        with pytest.raises(LookupError):
            work.inquiries.save(an_inquiry())
        with pytest.raises(LookupError):
            work.inquiries.save(an_inquiry(id=987654))
