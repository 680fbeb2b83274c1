"""Read-only units of work (the desk's pure reads) and the event key recorded in one statement."""

from __future__ import annotations

import pytest

from bot.core.catalogue import DictCatalogue
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.incoming import Incoming
from bot.core.model import Address, Level, Person, Preferences
from bot.core.sla import BusinessHoursSla, LevelTargets
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes import FakeClock, FakeKnowledgeBase, FakeUnitOfWorkFactory, RecordingNotifier

ALICE = Person("test", "alice", "Alice", language="en")


def desk_on(uow: SqlUnitOfWorkFactory) -> SupportDesk:
    return SupportDesk(
        DeskDeps(
            unit_of_work=uow,
            kb=FakeKnowledgeBase([]),
            notifier=RecordingNotifier(),
            clock=FakeClock(),
            catalogue=DictCatalogue(),
            staff=AllowListDirectory({Level.L1: ["test:lina"]}),
            sla=BusinessHoursSla(targets={level: LevelTargets(8, 24) for level in Level}),
        )
    )


def save_language(uow: SqlUnitOfWorkFactory, language: str) -> None:
    with uow() as work:
        work.preferences.save(Preferences(ALICE.identity, language=language))
        work.commit()


def test_a_read_only_unit_of_work_reads_what_was_committed(uow: SqlUnitOfWorkFactory) -> None:
    save_language(uow, "fr")
    with uow(read_only=True) as work:
        assert work.preferences.get(ALICE.identity) == Preferences(ALICE.identity, language="fr")


def test_a_read_only_unit_of_work_refuses_to_commit(uow: SqlUnitOfWorkFactory) -> None:
    with uow(read_only=True) as work:
        work.preferences.save(Preferences(ALICE.identity, language="fr"))
        with pytest.raises(RuntimeError, match="read-only"):
            work.commit()
    with uow(read_only=True) as work:
        assert work.preferences.get(ALICE.identity) is None


def test_the_chosen_language_applies_while_another_event_is_being_written(
    uow: SqlUnitOfWorkFactory,
) -> None:
    """On SQLite a writer holds the database's one write lock until it commits; reading a
    person's choices must not queue behind it (it would wait for the busy timeout, then fail)."""
    save_language(uow, "fr")
    desk = desk_on(uow)
    with uow() as writer:
        assert writer.first_delivery("test:ev-being-handled")  # holds the write lock now
        writer.preferences.save(Preferences(ALICE.identity, language="es"))
        seen = desk.preferences(Incoming(ALICE, Address("test", "chat-alice")))
        assert seen.sender.language == "fr"  # the committed choice, not the unfinished one
        writer.commit()
    # Written past the desk (as another bot process would): a desk reading afresh sees it (this
    # one keeps what it read for a minute, tests/unit/test_people.py).
    fresh = desk_on(uow)
    assert fresh.preferences(Incoming(ALICE, Address("test", "chat-alice"))).sender.language == "es"


def test_a_redelivered_event_in_the_same_transaction_keeps_the_work_done_before_it(
    uow: SqlUnitOfWorkFactory,
) -> None:
    with uow() as work:
        assert work.first_delivery("test:ev-1") is True
        work.preferences.save(Preferences(ALICE.identity, language="pt"))
        assert work.first_delivery("test:ev-1") is False
        work.commit()
    with uow(read_only=True) as work:
        assert work.preferences.get(ALICE.identity) == Preferences(ALICE.identity, language="pt")


def test_the_fake_unit_of_work_refuses_to_commit_when_read_only_too() -> None:
    factory = FakeUnitOfWorkFactory()
    with factory(read_only=True) as work, pytest.raises(RuntimeError, match="read-only"):
        work.commit()
