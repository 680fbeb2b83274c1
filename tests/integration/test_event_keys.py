"""Keys of handled platform events expire: old ones are pruned at most once an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from register.orm import ProcessedEventRow
from register.unit_of_work import SqlUnitOfWorkFactory, prune_event_keys

TTL = timedelta(hours=72)


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


def deliver(uow: SqlUnitOfWorkFactory, key: str) -> bool:
    with uow() as work:
        first = work.first_delivery(key)
        work.commit()
        return first


def keys(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(select(ProcessedEventRow.key)))


def expiring(session_factory: sessionmaker[Session], clock: Clock) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(session_factory, event_key_ttl=TTL, now=clock.now)


def test_a_redelivery_within_the_time_to_live_is_still_recognised(
    session_factory: sessionmaker[Session],
) -> None:
    clock = Clock()
    uow = expiring(session_factory, clock)
    assert deliver(uow, "slack:Ev1") is True
    clock.current += TTL - timedelta(minutes=1)
    assert deliver(uow, "slack:Ev1") is False


def test_keys_older_than_the_time_to_live_are_pruned_and_newer_ones_kept(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    clock = Clock()
    uow = expiring(session_factory, clock)
    deliver(uow, "slack:Ev-old")
    clock.current += timedelta(hours=48)
    deliver(uow, "slack:Ev-recent")  # the first prune ran at the first delivery: nothing was old
    clock.current += timedelta(hours=25)  # Ev-old is 73 hours old, Ev-recent 25
    deliver(uow, "slack:Ev-now")
    assert keys(engine) == {"slack:Ev-recent", "slack:Ev-now"}
    assert deliver(uow, "slack:Ev-old") is True  # forgotten: it would be handled again


def test_pruning_happens_at_most_once_an_hour(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    clock = Clock()
    uow = expiring(session_factory, clock)
    deliver(uow, "slack:Ev-a")  # prunes (nothing to prune) and waits an hour for the next
    clock.current += TTL + timedelta(minutes=30)
    deliver(uow, "slack:Ev-b")  # Ev-a is past its time, but the last prune was 72.5 hours ago
    assert "slack:Ev-a" not in keys(engine)
    clock.current += timedelta(minutes=10)
    older = clock.current - TTL - timedelta(minutes=1)
    with session_factory() as session, session.begin():
        session.add(ProcessedEventRow(key="slack:Ev-stale", seen_at=older))
    deliver(uow, "slack:Ev-c")  # ten minutes after the last prune: not again yet
    assert "slack:Ev-stale" in keys(engine)
    clock.current += timedelta(hours=1)
    deliver(uow, "slack:Ev-d")
    assert "slack:Ev-stale" not in keys(engine)


def test_without_a_time_to_live_keys_are_kept(
    uow: SqlUnitOfWorkFactory, session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory() as session, session.begin():
        session.add(
            ProcessedEventRow(key="slack:Ev-ancient", seen_at=datetime(2000, 1, 1, tzinfo=UTC))
        )
    deliver(uow, "slack:Ev-new")
    assert keys(engine) == {"slack:Ev-ancient", "slack:Ev-new"}


def test_the_prune_function_says_how_many_keys_went(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    with session_factory() as session, session.begin():
        for hours in range(5):
            seen = moment - timedelta(hours=hours)
            session.add(ProcessedEventRow(key=f"telegram:1:{hours}", seen_at=seen))
    with session_factory() as session, session.begin():
        assert prune_event_keys(session, moment - timedelta(hours=2, minutes=30)) == 2
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ProcessedEventRow)) == 3
