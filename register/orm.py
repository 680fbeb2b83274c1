"""SQLAlchemy 2 typed models of the register: requests, their history, inquiries, seen events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Explicit constraint names, so that Alembic migrations written later can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC that always comes back timezone-aware UTC.

    SQLite keeps no offset at all and PostgreSQL answers in the session's time zone, so values
    are normalised both ways. Naive values are refused: they are a bug in the caller.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; use timezone-aware UTC")
        utc = value.astimezone(UTC)
        # SQLite's DATETIME text would silently drop the offset; store plain UTC instead.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Spelt exactly like this in queries too: SQLite uses a partial index only for the same term.
UNRESOLVED = ("open", "claimed", "waiting")  # every Status but resolved
UNRESOLVED_SQL = "status IN ('open', 'claimed', 'waiting')"
UNRESOLVED_INDEXES = (
    ("created_at", "id"),
    ("site", "created_at", "id"),
    ("level", "created_at", "id"),
)

intpk = Annotated[int, mapped_column(primary_key=True, autoincrement=True)]
ref_str = Annotated[str, mapped_column(String(32))]
code = Annotated[str, mapped_column(String(32))]  # enum values, stored as portable strings
name = Annotated[str, mapped_column(String(255))]
short = Annotated[str, mapped_column(String(35))]  # BCP 47 language tags fit in 35
text = Annotated[str, mapped_column(Text)]
id_list = Annotated[list[str], mapped_column(JSON)]
timestamp = Annotated[datetime, mapped_column(UtcDateTime())]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RequestRow(Base):
    """A logged help request; `ref` is set right after the insert from the generated id."""

    __tablename__ = "requests"
    # Lists are newest first, filtered by status, level and site: each filter has an index
    # ending in (created_at, id), so a page of a million-request register reads only that page.
    # Unresolved requests, the few that staff look at, have a partial index of their own:
    # SQLite, which keeps no statistics of skew, would otherwise walk a million resolved ones.
    # PostgreSQL also finds breached ones by due time.
    __table_args__ = (
        Index("ix_requests_platform_requester_id", "platform", "requester_id"),
        Index("ix_requests_created_at_id", "created_at", "id"),
        Index("ix_requests_status_created_at_id", "status", "created_at", "id"),
        Index("ix_requests_status_level_created_at_id", "status", "level", "created_at", "id"),
        Index("ix_requests_level_created_at_id", "level", "created_at", "id"),
        Index("ix_requests_site_created_at_id", "site", "created_at", "id"),
        Index("ix_requests_status_first_response_due", "status", "first_response_due"),
        Index("ix_requests_status_resolution_due", "status", "resolution_due"),
        *(
            Index(
                f"ix_requests_unresolved_{'_'.join(columns)}",
                *columns,
                sqlite_where=sql_text(UNRESOLVED_SQL),
                postgresql_where=sql_text(UNRESOLVED_SQL),
            )
            for columns in UNRESOLVED_INDEXES
        ),
    )

    id: Mapped[intpk]
    # Nullable only for the instant between INSERT and the UPDATE that sets it from the id.
    ref: Mapped[ref_str | None] = mapped_column(unique=True)
    level: Mapped[code]
    status: Mapped[code]
    platform: Mapped[code]
    requester_id: Mapped[name]
    requester_name: Mapped[name]
    requester_language: Mapped[short | None]
    reply_chat_id: Mapped[name]
    reply_thread_id: Mapped[name | None]
    language: Mapped[short]
    site: Mapped[name | None]
    question: Mapped[text]
    suggested_ids: Mapped[id_list]
    feedback: Mapped[code]
    claimed_by: Mapped[name | None]  # platform-qualified identity
    claimed_by_name: Mapped[name | None]
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    first_response_due: Mapped[timestamp | None]
    resolution_due: Mapped[timestamp | None]
    first_response_at: Mapped[timestamp | None]
    resolved_at: Mapped[timestamp | None]
    resolution_note: Mapped[text | None]
    level_entered_at: Mapped[timestamp | None]  # None: at created_at (never escalated)
    paused_at: Mapped[timestamp | None]  # the SLA clock stands still: waiting for the requester
    # The L3 incident this request was grouped under (register/incidents.py), if any.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)


class HistoryRow(Base):
    """One append-only line of a request's history."""

    __tablename__ = "request_history"
    __table_args__ = (Index("ix_request_history_request_id_at", "request_id", "at"),)

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    at: Mapped[timestamp]
    actor: Mapped[name]
    action: Mapped[code]
    level: Mapped[code | None]
    detail: Mapped[text] = mapped_column(default="")


class InquiryRow(Base):
    """A question answered with suggestions; deflections are counted from these."""

    __tablename__ = "inquiries"
    __table_args__ = (
        Index("ix_inquiries_created_at", "created_at"),
        Index("ix_inquiries_request_ref", "request_ref"),
    )

    id: Mapped[intpk]
    platform: Mapped[code]
    requester_id: Mapped[name]
    requester_name: Mapped[name]
    requester_language: Mapped[short | None]
    reply_chat_id: Mapped[name]
    reply_thread_id: Mapped[name | None]
    question: Mapped[text]
    language: Mapped[short]
    site: Mapped[name | None]
    suggested_ids: Mapped[id_list]
    outcome: Mapped[code]
    solved_article_id: Mapped[name | None]
    answered_at: Mapped[timestamp | None]
    request_ref: Mapped[ref_str | None]
    created_at: Mapped[timestamp]
    # Answered "known issue": the incident it was linked to instead of logging a request.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)


class PostedMessageRow(Base):
    """A message the bot posted about a request: a staff ping to update, a notice to answer."""

    __tablename__ = "posted_messages"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "message_id"),
        Index("ix_posted_messages_request_id", "request_id"),
    )

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    platform: Mapped[code]
    chat_id: Mapped[name]
    message_id: Mapped[name]
    kind: Mapped[code]
    level: Mapped[code | None]
    thread_id: Mapped[name | None]


class PreferenceRow(Base):
    """A person's explicit choices (language, site), by platform-qualified identity."""

    __tablename__ = "preferences"

    identity: Mapped[str] = mapped_column(String(255), primary_key=True)
    language: Mapped[short | None]
    site: Mapped[name | None]


class ProcessedEventRow(Base):
    """A platform event key already handled: redeliveries are recognised by it."""

    __tablename__ = "processed_events"
    __table_args__ = (Index("ix_processed_events_seen_at", "seen_at"),)  # pruning old keys

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[timestamp]


class OutboxRow(Base):
    """A notification committed with the change that caused it, until every destination has it."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_outbox_done_at_id", "done_at", "id"),
        Index("ix_outbox_ref_id", "ref", "id"),
    )

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64))  # one per notification: duplicates collide
    ref: Mapped[ref_str]  # notifications of one request go out in order
    kind: Mapped[code]
    payload: Mapped[text]  # the notification as JSON
    created_at: Mapped[timestamp]
    expanded_at: Mapped[timestamp | None]  # its destinations were listed in deliveries
    done_at: Mapped[timestamp | None]  # every delivery delivered (or given up)


class DeliveryRow(Base):
    """One destination of an outbox notification, retried on its own until delivered."""

    __tablename__ = "outbox_deliveries"
    __table_args__ = (
        UniqueConstraint("outbox_id", "target"),
        Index("ix_outbox_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[intpk]
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    target: Mapped[name]  # `platform|chat` or `platform|chat|message`
    state: Mapped[code]  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[timestamp]  # also the lease of a claimed attempt
    delivered_at: Mapped[timestamp | None]
    last_error: Mapped[text | None]


class IncidentRow(Base):
    """One problem several requesters reported, handled at L3; `ref` is INC-<id>."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_status_id", "status", "id"),)

    id: Mapped[intpk]
    # Nullable only for the instant between INSERT and the UPDATE that sets it from the id.
    ref: Mapped[ref_str | None] = mapped_column(unique=True)
    status: Mapped[code]  # open | resolved
    level: Mapped[code]  # always L3 today; stored so that a ping can say so without guessing
    summary: Mapped[text]  # the masked question of its first request: no personal data
    site: Mapped[name | None]
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    claimed_by: Mapped[name | None]  # platform-qualified identity
    claimed_by_name: Mapped[name | None]
    resolved_at: Mapped[timestamp | None]
    resolved_by: Mapped[name | None]
    resolution_note: Mapped[text | None]


class IncidentMessageRow(Base):
    """A message the bot posted about an incident (its L3 pings, notices to "known issue"
    requesters): posted_messages rows belong to requests, so incidents keep their own."""

    __tablename__ = "incident_messages"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "message_id"),
        Index("ix_incident_messages_incident_id", "incident_id"),
    )

    id: Mapped[intpk]
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    platform: Mapped[code]
    chat_id: Mapped[name]
    message_id: Mapped[name]
    kind: Mapped[code]
    level: Mapped[code | None]
    thread_id: Mapped[name | None]
