"""The SQL unit of work: one session and one transaction per incoming event."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from bot.core.outgoing import Notification
from bot.core.ports import (
    IncidentRepository,
    InquiryRepository,
    PostedMessageRepository,
    PreferenceRepository,
    RequestRepository,
    UnitOfWorkFactory,
)
from register.database import insert_if_new, read_only_twin
from register.incidents import OpenIncidents, SqlIncidentRepository, SqlPostedMessages
from register.orm import ProcessedEventRow
from register.outbox import stage
from register.repository import (
    SqlInquiryRepository,
    SqlPreferenceRepository,
    SqlRequestRepository,
)

MAX_EVENT_KEY = 255  # the width of processed_events.key
PRUNE_EVERY = timedelta(hours=1)  # old event keys are deleted at most this often
Now = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_event_key(event_key: str) -> str:
    """The key as stored: long keys are hashed so they fit and still never collide in practice."""
    if len(event_key) <= MAX_EVENT_KEY:
        return event_key
    return "sha256:" + hashlib.sha256(event_key.encode("utf-8")).hexdigest()


def prune_event_keys(session: Session, older_than: datetime) -> int:
    """Forget event keys first seen before `older_than`; returns how many went."""
    result = session.execute(
        delete(ProcessedEventRow).where(ProcessedEventRow.seen_at < older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class EventKeyExpiry:
    """Decides when the keys of redelivered events are old enough to forget, and prunes them at
    most once every PRUNE_EVERY (a delete on an index, in the transaction that noticed)."""

    def __init__(self, ttl: timedelta, now: Now = utc_now) -> None:
        self.ttl = ttl
        self.now = now
        self._lock = threading.Lock()
        self._next_at: datetime | None = None

    def prune_if_due(self, session: Session) -> int | None:
        """Prune when the last prune is PRUNE_EVERY ago (or none yet); None when not due."""
        now = self.now()
        with self._lock:
            if self._next_at is not None and now < self._next_at:
                return None
            self._next_at = now + PRUNE_EVERY
        return prune_event_keys(session, now - self.ttl)


class SqlUnitOfWork:
    """Implements the core's UnitOfWork port. Use it in a `with` block: whatever is not
    committed when the block ends is rolled back, and its notifications are dropped."""

    requests: RequestRepository
    inquiries: InquiryRepository
    posted: PostedMessageRepository
    preferences: PreferenceRepository
    incidents: IncidentRepository
    published: list[Notification]

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        reference_prefix: str = "SR",
        expiry: EventKeyExpiry | None = None,
        write_outbox: bool = False,
        read_only: bool = False,
        open_incidents: OpenIncidents | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._open_incidents = open_incidents
        self._prefix = reference_prefix
        self._expiry = expiry
        self._read_only = read_only  # its session's factory takes no write lock: never commit
        self._write_outbox = write_outbox  # notifications committed with their change
        self._session: Session | None = None
        self._kept = 0  # notifications published before the last commit survive a rollback
        self.published = []

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; make a new one")
        self._session = self._session_factory()
        self.requests = SqlRequestRepository(self._session, self._prefix)
        self.inquiries = SqlInquiryRepository(self._session)
        self.posted = SqlPostedMessages(self._session)  # of requests and of incidents
        self._incident_rows = SqlIncidentRepository(self._session, self._open_incidents)
        self.incidents = self._incident_rows
        self.preferences = SqlPreferenceRepository(self._session)
        self.published, self._kept = [], 0
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        del self.published[self._kept :]  # nobody is told of what was not committed
        try:
            session.close()  # rolls back whatever was not committed (one step, not two)
        finally:
            self._session = None

    @property
    def session(self) -> Session:
        """The open session (for read-side queries sharing this transaction)."""
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def first_delivery(self, event_key: str) -> bool:
        """Record the key unless it is there already (INSERT … ON CONFLICT DO NOTHING): a
        duplicate changes nothing, so the work done before it in the transaction stays."""
        now = utc_now
        if self._expiry is not None:
            self._expiry.prune_if_due(self.session)
            now = self._expiry.now
        insert = insert_if_new(self.session.get_bind().dialect.name, ProcessedEventRow.__table__)
        row = {"key": stored_event_key(event_key), "seen_at": now()}
        result = self.session.connection().execute(insert, row)
        return bool(result.rowcount)

    def publish(self, notification: Notification) -> None:
        self.published.append(notification)

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit; make a writing one")
        if self._write_outbox:
            stage(self.session, self.published[self._kept :], utc_now())
        self.session.commit()
        self._kept = len(self.published)
        if self._incident_rows.changed and self._open_incidents is not None:
            self._open_incidents.forget()  # after the commit: a read from now on sees it
            self._incident_rows.changed = False

    def rollback(self) -> None:
        self.session.rollback()
        del self.published[self._kept :]


class SqlUnitOfWorkFactory:
    """Makes a fresh SqlUnitOfWork for every incoming event (the core's UnitOfWorkFactory).

    With `event_key_ttl`, keys of handled events are forgotten after that time."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        reference_prefix: str = "SR",
        event_key_ttl: timedelta | None = None,
        now: Now = utc_now,
    ) -> None:
        self._session_factory = session_factory
        self._read_only_factory = read_only_twin(session_factory)
        self._prefix = reference_prefix
        self.expiry = EventKeyExpiry(event_key_ttl, now) if event_key_ttl else None
        # Set by the outbox dispatcher: published notifications are stored in the transaction.
        self.write_outbox = False
        self.open_incidents = OpenIncidents()

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._session_factory

    def __call__(self, *, read_only: bool = False) -> SqlUnitOfWork:
        if read_only:
            return SqlUnitOfWork(
                self._read_only_factory,
                self._prefix,
                read_only=True,
                open_incidents=self.open_incidents,
            )
        return SqlUnitOfWork(
            self._session_factory,
            self._prefix,
            self.expiry,
            self.write_outbox,
            open_incidents=self.open_incidents,
        )


if TYPE_CHECKING:

    def _implements_the_port(factory: SqlUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory  # mypy proves here that the SQL classes satisfy the core's ports
