"""The SQL unit of work: one session and one transaction per incoming event."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.outgoing import Notification
from bot.core.ports import (
    InquiryRepository,
    PostedMessageRepository,
    PreferenceRepository,
    RequestRepository,
    UnitOfWorkFactory,
)
from register.orm import ProcessedEventRow
from register.repository import (
    SqlInquiryRepository,
    SqlPostedMessageRepository,
    SqlPreferenceRepository,
    SqlRequestRepository,
)

MAX_EVENT_KEY = 255  # the width of processed_events.key


def stored_event_key(event_key: str) -> str:
    """The key as stored: long keys are hashed so they fit and still never collide in practice."""
    if len(event_key) <= MAX_EVENT_KEY:
        return event_key
    return "sha256:" + hashlib.sha256(event_key.encode("utf-8")).hexdigest()


class SqlUnitOfWork:
    """Implements the core's UnitOfWork port. Use it in a `with` block: whatever is not
    committed when the block ends is rolled back, and its notifications are dropped."""

    requests: RequestRepository
    inquiries: InquiryRepository
    posted: PostedMessageRepository
    preferences: PreferenceRepository
    published: list[Notification]

    def __init__(
        self, session_factory: sessionmaker[Session], reference_prefix: str = "SR"
    ) -> None:
        self._session_factory = session_factory
        self._prefix = reference_prefix
        self._session: Session | None = None
        self._kept = 0  # notifications published before the last commit survive a rollback
        self.published = []

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; make a new one")
        self._session = self._session_factory()
        self.requests = SqlRequestRepository(self._session, self._prefix)
        self.inquiries = SqlInquiryRepository(self._session)
        self.posted = SqlPostedMessageRepository(self._session)
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
        try:
            self.rollback()  # a no-op after a commit; otherwise nothing uncommitted survives
        finally:
            session.close()
            self._session = None

    @property
    def session(self) -> Session:
        """The open session (for read-side queries sharing this transaction)."""
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def first_delivery(self, event_key: str) -> bool:
        """Record the key in a SAVEPOINT, so a duplicate undoes only its own insert."""
        row = ProcessedEventRow(key=stored_event_key(event_key), seen_at=datetime.now(UTC))
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return False
        return True

    def publish(self, notification: Notification) -> None:
        self.published.append(notification)

    def commit(self) -> None:
        self.session.commit()
        self._kept = len(self.published)

    def rollback(self) -> None:
        self.session.rollback()
        del self.published[self._kept :]


class SqlUnitOfWorkFactory:
    """Makes a fresh SqlUnitOfWork for every incoming event (the core's UnitOfWorkFactory)."""

    def __init__(
        self, session_factory: sessionmaker[Session], reference_prefix: str = "SR"
    ) -> None:
        self._session_factory = session_factory
        self._prefix = reference_prefix

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._session_factory, self._prefix)


if TYPE_CHECKING:

    def _implements_the_port(factory: SqlUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory  # mypy proves here that the SQL classes satisfy the core's ports
