"""The SQL request repository keeps requests and their history as the core expects."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.core.model import Action, Address, HistoryEntry, Level, Person, Status, SupportRequest
from register.database import AppendOnlyError
from register.orm import HistoryRow
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import ALICE, BOB, a_full_request, a_request, at

REF = re.compile(r"[A-Z]+-[0-9]+")


def test_an_added_request_gets_a_reference_like_sr_42(uow: SqlUnitOfWorkFactory) -> None:
    request = a_request()
    with uow() as work:
        work.requests.add(request)
        work.commit()
    assert REF.fullmatch(request.ref)
    assert request.ref.startswith("SR-")


def test_references_are_unique_within_and_across_units_of_work(
    uow: SqlUnitOfWorkFactory,
) -> None:
    refs: list[str] = []
    for _ in range(2):
        with uow() as work:
            for _ in range(3):
                request = a_request()
                work.requests.add(request)
                refs.append(request.ref)
            work.commit()
    assert len(set(refs)) == 6


def test_the_reference_uses_the_configured_prefix(session_factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWorkFactory(session_factory, reference_prefix="HD")() as work:
        request = a_request()
        work.requests.add(request)
        work.commit()
    assert re.fullmatch(r"HD-[0-9]+", request.ref)


def test_a_request_comes_back_with_every_field_it_was_stored_with(
    uow: SqlUnitOfWorkFactory,
) -> None:
    original = a_full_request()
    with uow() as work:
        work.requests.add(original)
        work.commit()
    with uow() as work:
        loaded = work.requests.get(original.ref)
    assert loaded == original
    assert loaded is not original


def test_every_time_comes_back_timezone_aware_utc(uow: SqlUnitOfWorkFactory) -> None:
    original = a_full_request()
    with uow() as work:
        work.requests.add(original)
        work.commit()
    with uow() as work:
        loaded = work.requests.get(original.ref)
    assert loaded is not None
    assert loaded.deadlines is not None
    times = [getattr(loaded, f.name) for f in fields(loaded)]
    times += [loaded.deadlines.first_response, loaded.deadlines.resolution]
    moments = [t for t in times if isinstance(t, datetime)]
    assert len(moments) == 6
    assert all(t.tzinfo is UTC for t in moments)
    assert loaded.created_at == original.created_at  # the same instant, given in +03:00


def test_a_request_without_optional_fields_comes_back_with_them_empty(
    uow: SqlUnitOfWorkFactory,
) -> None:
    original = a_request(requester=BOB, site=None)
    with uow() as work:
        work.requests.add(original)
        work.commit()
    with uow() as work:
        loaded = work.requests.get(original.ref)
    assert loaded == original
    assert loaded is not None
    assert (loaded.deadlines, loaded.claimed_by, loaded.site) == (None, None, None)
    assert loaded.requester.language is None
    assert loaded.reply_to.thread_id is None


def test_saved_changes_are_kept_once_committed(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.commit()
    with uow() as work:
        claimed = work.requests.get(request.ref)
        assert claimed is not None
        claimed.status, claimed.claimed_by, claimed.updated_at = Status.CLAIMED, BOB, at(5)
        work.requests.save(claimed)
        work.commit()
    with uow() as work:
        assert work.requests.get(request.ref) == claimed


def test_changes_to_a_loaded_request_are_not_stored_without_save(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.commit()
    with uow() as work:
        loaded = work.requests.get(request.ref)
        assert loaded is not None
        loaded.status = Status.RESOLVED
        work.commit()
    with uow() as work:
        again = work.requests.get(request.ref)
    assert again is not None
    assert again.status is Status.OPEN


def test_getting_an_unknown_reference_gives_none(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        assert work.requests.get("SR-999999") is None


def test_saving_a_request_that_was_never_added_is_refused(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work, pytest.raises(LookupError):
        work.requests.save(a_request(ref="SR-424242"))


def _entry(ref: str, minutes: float, action: Action, detail: str = "") -> HistoryEntry:
    return HistoryEntry(ref, at(minutes), "slack:U0CAROL003", action, detail, Level.L1)


def test_history_comes_back_in_the_order_things_happened(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.requests.append_history(_entry(request.ref, 0, Action.LOGGED, "no_match"))
        work.requests.append_history(_entry(request.ref, 10, Action.REPLIED, "first"))
        work.commit()
    with uow() as work:
        work.requests.append_history(_entry(request.ref, 5, Action.CLAIMED))
        work.requests.append_history(_entry(request.ref, 10, Action.REPLIED, "second"))
        work.commit()
    with uow() as work:
        history = work.requests.history(request.ref)
    assert [(e.action, e.detail) for e in history] == [
        (Action.LOGGED, "no_match"),
        (Action.CLAIMED, ""),
        (Action.REPLIED, "first"),
        (Action.REPLIED, "second"),
    ]
    assert history[0] == _entry(request.ref, 0, Action.LOGGED, "no_match")
    assert all(entry.id is not None and entry.at.tzinfo is UTC for entry in history)


def test_history_lines_cannot_be_changed_or_deleted(
    uow: SqlUnitOfWorkFactory, session_factory: sessionmaker[Session]
) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        work.requests.append_history(_entry(request.ref, 0, Action.LOGGED))
        work.commit()
    with session_factory() as session:
        line = session.query(HistoryRow).one()
        line.detail = "rewritten"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()
        session.delete(session.query(HistoryRow).one())
        with pytest.raises(AppendOnlyError):
            session.flush()
    with uow() as work:
        assert [e.detail for e in work.requests.history(request.ref)] == [""]


def test_history_of_an_unknown_reference_is_refused(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work, pytest.raises(LookupError):
        work.requests.append_history(_entry("SR-31337", 0, Action.LOGGED))


def test_history_of_a_request_without_entries_is_empty(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work:
        request = a_request()
        work.requests.add(request)
        assert work.requests.history(request.ref) == []


def _store(uow: SqlUnitOfWorkFactory, *requests: SupportRequest) -> None:
    with uow() as work:
        for request in requests:
            work.requests.add(request)
        work.commit()


def test_a_requester_sees_only_their_own_requests_newest_first(
    uow: SqlUnitOfWorkFactory,
) -> None:
    older, newer = a_request(created_at=at(0)), a_request(created_at=at(60))
    _store(uow, older, a_request(requester=BOB, created_at=at(30)), newer)
    with uow() as work:
        mine = work.requests.list_for_requester(ALICE, open_only=False)
    assert [r.ref for r in mine] == [newer.ref, older.ref]


def test_open_only_leaves_out_resolved_requests(uow: SqlUnitOfWorkFactory) -> None:
    open_one = a_request(created_at=at(0))
    waiting = a_request(created_at=at(10), status=Status.WAITING)
    done = a_request(created_at=at(20), status=Status.RESOLVED, resolved_at=at(30))
    _store(uow, open_one, waiting, done)
    with uow() as work:
        still_open = work.requests.list_for_requester(ALICE, open_only=True)
        every = work.requests.list_for_requester(ALICE, open_only=False)
    assert [r.ref for r in still_open] == [waiting.ref, open_one.ref]
    assert [r.ref for r in every] == [done.ref, waiting.ref, open_one.ref]


def test_the_same_user_id_on_another_platform_is_another_person(
    uow: SqlUnitOfWorkFactory,
) -> None:
    _store(uow, a_request())
    impostor = Person("telegram", ALICE.user_id, ALICE.display_name)
    with uow() as work:
        assert work.requests.list_for_requester(impostor, open_only=False) == []


def test_a_reply_address_on_another_platform_is_refused(uow: SqlUnitOfWorkFactory) -> None:
    mismatched = a_request(reply_to=Address("telegram", "123"))
    with uow() as work, pytest.raises(ValueError, match="platform"):
        work.requests.add(mismatched)
