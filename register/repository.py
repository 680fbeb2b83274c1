"""SQL implementations of the core's RequestRepository and InquiryRepository ports."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Insert, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.model import (
    HistoryEntry,
    Inquiry,
    Person,
    PostedMessage,
    Preferences,
    Status,
    SupportRequest,
)
from register.mapping import (
    copy_inquiry_onto,
    copy_request_onto,
    history_from_row,
    history_row,
    inquiry_from_row,
    inquiry_values,
    posted_from_row,
    posted_row,
    request_from_row,
)
from register.orm import HistoryRow, InquiryRow, PostedMessageRow, PreferenceRow, RequestRow


class SqlRequestRepository:
    """Logged requests and their history in one session. Never commits: the unit of work does."""

    def __init__(self, session: Session, reference_prefix: str = "SR") -> None:
        self._session = session
        self._prefix = reference_prefix
        self._rows: dict[str, RequestRow] = {}  # rows this unit of work added or locked

    def add(self, request: SupportRequest) -> None:
        row = RequestRow()
        copy_request_onto(row, request)
        self._session.add(row)
        self._session.flush()  # the generated id makes the reference
        row.ref = f"{self._prefix}-{row.id}"
        self._session.flush()
        request.ref = row.ref
        self._rows[row.ref] = row

    def get(self, ref: str) -> SupportRequest | None:
        row = self._locked_row(ref)
        return request_from_row(row) if row is not None else None

    def save(self, request: SupportRequest) -> None:
        row = self._rows.get(request.ref) or self._locked_row(request.ref)
        if row is None:
            raise LookupError(f"request {request.ref!r} is not in the register; add it first")
        copy_request_onto(row, request)

    def list_for_requester(self, requester: Person, *, open_only: bool) -> list[SupportRequest]:
        query = select(RequestRow).where(
            RequestRow.platform == requester.platform,
            RequestRow.requester_id == requester.user_id,
        )
        if open_only:
            query = query.where(RequestRow.status != Status.RESOLVED.value)
        query = query.order_by(RequestRow.created_at.desc(), RequestRow.id.desc())
        return [request_from_row(row) for row in self._session.scalars(query)]

    def append_history(self, entry: HistoryEntry) -> None:
        request_id = self._id_of(entry.ref)
        if request_id is None:
            raise LookupError(f"request {entry.ref!r} is not in the register")
        self._session.add(history_row(entry, request_id))

    def history(self, ref: str) -> list[HistoryEntry]:
        return history_of(self._session, ref)

    def _locked_row(self, ref: str) -> RequestRow | None:
        # FOR UPDATE serialises two staff acting on one request on PostgreSQL (SQLite ignores it
        # and relies on BEGIN IMMEDIATE); populate_existing reloads the row as it is once locked.
        query = (
            select(RequestRow)
            .where(RequestRow.ref == ref)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = self._session.scalars(query).one_or_none()
        if row is not None:
            self._rows[ref] = row
        return row

    def _id_of(self, ref: str) -> int | None:
        if ref in self._rows:
            return self._rows[ref].id
        return request_id_of(self._session, ref)


def request_id_of(session: Session, ref: str) -> int | None:
    found: int | None = session.scalar(select(RequestRow.id).where(RequestRow.ref == ref))
    return found


def history_of(session: Session, ref: str) -> list[HistoryEntry]:
    """A request's history, oldest first (ties in time keep the order they were written)."""
    query = (
        select(HistoryRow)
        .join(RequestRow, HistoryRow.request_id == RequestRow.id)
        .where(RequestRow.ref == ref)
        .order_by(HistoryRow.at, HistoryRow.id)
    )
    return [history_from_row(row, ref) for row in session.scalars(query)]


@cache
def _insert_inquiry() -> Insert:
    return insert(InquiryRow).returning(InquiryRow.id)


class SqlInquiryRepository:
    """Questions answered with suggestions, in one session. Never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, inquiry: Inquiry) -> None:
        # One INSERT … RETURNING on the session's connection: every question adds one, and the
        # ORM's flush of a new object costs several times the statement. Later reads and
        # changes of the row in this session load it like any other.
        values = inquiry_values(inquiry)
        inquiry.id = self._session.connection().execute(_insert_inquiry(), values).scalar_one()

    def get(self, inquiry_id: int) -> Inquiry | None:
        # Locked too: a double click on "none of these helped" must not log two requests.
        query = (
            select(InquiryRow)
            .where(InquiryRow.id == inquiry_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = self._session.scalars(query).one_or_none()
        return inquiry_from_row(row) if row is not None else None

    def save(self, inquiry: Inquiry) -> None:
        row = self._session.get(InquiryRow, inquiry.id) if inquiry.id is not None else None
        if row is None:
            raise LookupError(f"inquiry {inquiry.id!r} is not in the register; add it first")
        copy_inquiry_onto(row, inquiry)


class SqlPostedMessageRepository:
    """Messages the bot posted about requests, in one session. Never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, message: PostedMessage) -> None:
        request_id = request_id_of(self._session, message.ref)
        if request_id is None:
            raise LookupError(f"request {message.ref!r} is not in the register")
        self._session.add(posted_row(message, request_id))

    def for_request(self, ref: str, *, kind: str | None = None) -> list[PostedMessage]:
        query = (
            select(PostedMessageRow)
            .join(RequestRow, PostedMessageRow.request_id == RequestRow.id)
            .where(RequestRow.ref == ref)
            .order_by(PostedMessageRow.id)
        )
        if kind is not None:
            query = query.where(PostedMessageRow.kind == kind)
        return [posted_from_row(row, ref) for row in self._session.scalars(query)]

    def find(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None:
        query = (
            select(PostedMessageRow, RequestRow.ref)
            .join(RequestRow, PostedMessageRow.request_id == RequestRow.id)
            .where(
                PostedMessageRow.platform == platform,
                PostedMessageRow.chat_id == chat_id,
                PostedMessageRow.message_id == message_id,
            )
        )
        found = self._session.execute(query).one_or_none()
        return posted_from_row(found[0], found[1] or "") if found is not None else None


class SqlPreferenceRepository:
    """People's explicit choices, in one session. Never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, identity: str) -> Preferences | None:
        row = self._session.get(PreferenceRow, identity)
        return Preferences(row.identity, row.language, row.site) if row is not None else None

    def identities(self) -> frozenset[str]:
        return frozenset(self._session.scalars(select(PreferenceRow.identity)))

    def save(self, preferences: Preferences) -> None:
        """Insert or replace."""
        row = self._session.get(PreferenceRow, preferences.identity, with_for_update=True)
        if row is None:
            row = self._insert(preferences.identity)
        row.language, row.site = preferences.language, preferences.site

    def _insert(self, identity: str) -> PreferenceRow:
        # In a SAVEPOINT: when another transaction inserted the same person meanwhile, only
        # this insert is undone and their row is updated instead.
        row = PreferenceRow(identity=identity)
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            found = self._session.get(
                PreferenceRow, identity, with_for_update=True, populate_existing=True
            )
            if found is None:
                raise
            return found
        return row
