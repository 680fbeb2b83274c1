"""SQL implementation of the core's IncidentRepository, and of posted messages that may belong
to an incident (INC-3) as well as to a request (SR-42)."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.incidents import INCIDENT_PREFIX, is_incident_ref
from bot.core.model import (
    Address,
    Incident,
    IncidentReport,
    IncidentStatus,
    Level,
    Outcome,
    PostedMessage,
    SupportRequest,
)
from register.mapping import person_from_identity, posted_from_row, request_from_row
from register.orm import (
    UNRESOLVED,
    IncidentMessageRow,
    IncidentRow,
    InquiryRow,
    RequestRow,
)
from register.repository import SqlPostedMessageRepository


def copy_incident_onto(row: IncidentRow, incident: Incident) -> None:
    row.status, row.level = incident.status.value, incident.level.value
    row.summary, row.site = incident.summary, incident.site
    row.created_at, row.updated_at = incident.created_at, incident.updated_at
    claimer = incident.claimed_by
    row.claimed_by = claimer.identity if claimer else None
    row.claimed_by_name = claimer.display_name if claimer else None
    row.resolved_at, row.resolved_by = incident.resolved_at, incident.resolved_by
    row.resolution_note = incident.resolution_note


def incident_from_row(row: IncidentRow) -> Incident:
    claimer = None
    if row.claimed_by is not None:
        claimer = person_from_identity(row.claimed_by, row.claimed_by_name or row.claimed_by)
    return Incident(
        summary=row.summary,
        created_at=row.created_at,
        updated_at=row.updated_at,
        status=IncidentStatus(row.status),
        site=row.site,
        level=Level(row.level),
        claimed_by=claimer,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        resolution_note=row.resolution_note,
        ref=row.ref or "",
        id=row.id,
    )


def incident_id_of(session: Session, ref: str) -> int | None:
    found: int | None = session.scalar(select(IncidentRow.id).where(IncidentRow.ref == ref))
    return found


# Every question is compared with the open incidents, and reading them costs as much as the rest
# of its transaction, while incidents open and close a few times a week. Changes made in this
# process are seen at once; those of another bot process on the same register within this.
OPEN_INCIDENTS_KEPT = 10.0  # seconds


class OpenIncidents:
    """The open incidents as last read, shared by the units of work of one register.

    A read that began before a change was committed must not be kept after it: each `forget`
    starts a new generation, and a list read in an older one is dropped."""

    def __init__(
        self, keep_for: float = OPEN_INCIDENTS_KEPT, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._keep_for, self._clock = keep_for, clock
        self._kept: tuple[float, list[Incident]] | None = None
        self._generation = 0
        self._lock = threading.Lock()

    def generation(self) -> int:
        return self._generation

    def get(self) -> list[Incident] | None:
        with self._lock:
            if self._kept is None or self._clock() - self._kept[0] >= self._keep_for:
                return None
            return [copy.copy(incident) for incident in self._kept[1]]  # callers may change them

    def put(self, incidents: list[Incident], generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._kept = (self._clock(), [copy.copy(incident) for incident in incidents])

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._kept = None


class SqlIncidentRepository:
    """Incidents and their links in one session. Never commits: the unit of work does.

    `changed` tells the unit of work to forget the shared list of open incidents after its
    commit."""

    def __init__(self, session: Session, open_incidents: OpenIncidents | None = None) -> None:
        self._session = session
        self._rows: dict[str, IncidentRow] = {}  # rows this unit of work added or locked
        self._open = open_incidents or OpenIncidents(keep_for=0.0)
        self.changed = False

    def add(self, incident: Incident) -> None:
        self.changed = True
        row = IncidentRow()
        copy_incident_onto(row, incident)
        self._session.add(row)
        self._session.flush()  # the generated id makes the reference
        row.ref = f"{INCIDENT_PREFIX}-{row.id}"
        self._session.flush()
        incident.ref, incident.id = row.ref, row.id
        self._rows[row.ref] = row

    def get(self, ref: str) -> Incident | None:
        # FOR UPDATE: two resolves of one incident serialise (SQLite: BEGIN IMMEDIATE).
        query = (
            select(IncidentRow)
            .where(IncidentRow.ref == ref)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = self._session.scalars(query).one_or_none()
        if row is None:
            return None
        self._rows[ref] = row
        return incident_from_row(row)

    def save(self, incident: Incident) -> None:
        self.changed = True
        row = self._rows.get(incident.ref)
        if row is None:
            if self.get(incident.ref) is None:
                raise LookupError(f"incident {incident.ref!r} is not in the register; add it first")
            row = self._rows[incident.ref]
        copy_incident_onto(row, incident)

    def list_open(self) -> list[Incident]:
        kept = self._open.get()
        if kept is not None:
            return kept
        # Taken before the read: the read then sees every change forgotten up to this number.
        generation = self._open.generation()
        query = (
            select(IncidentRow)
            .where(IncidentRow.status == IncidentStatus.OPEN.value)
            .order_by(IncidentRow.id)
        )
        found = [incident_from_row(row) for row in self._session.scalars(query)]
        self._open.put(found, generation)
        return found

    def link_request(self, incident_ref: str, request_ref: str) -> None:
        row = self._session.scalars(select(RequestRow).where(RequestRow.ref == request_ref)).one()
        row.incident_id = self._id(incident_ref)

    def incident_of(self, request_ref: str) -> str | None:
        query = (
            select(IncidentRow.ref)
            .join(RequestRow, RequestRow.incident_id == IncidentRow.id)
            .where(RequestRow.ref == request_ref)
        )
        found: str | None = self._session.scalar(query)
        return found

    def link_inquiry(self, incident_ref: str, inquiry_id: int) -> None:
        row = self._session.get(InquiryRow, inquiry_id)
        if row is None:
            raise LookupError(f"inquiry {inquiry_id!r} is not in the register")
        row.incident_id = self._id(incident_ref)

    def reports(self, incident_ref: str) -> list[IncidentReport]:
        incident_id = self._id(incident_ref)
        self._session.flush()  # links made in this unit of work count too
        requests = self._session.scalars(
            select(RequestRow).where(RequestRow.incident_id == incident_id)
        )
        found = [
            IncidentReport(
                Address(r.platform, r.reply_chat_id, r.reply_thread_id),
                r.language,
                r.site,
                r.created_at,
                request_ref=r.ref,
            )
            for r in requests
        ]
        # An inquiry whose asker said "my problem is different" is no longer a report of it.
        inquiries = self._session.scalars(
            select(InquiryRow).where(
                InquiryRow.incident_id == incident_id,
                InquiryRow.outcome == Outcome.KNOWN_ISSUE.value,
            )
        )
        found += [
            IncidentReport(
                Address(q.platform, q.reply_chat_id, q.reply_thread_id),
                q.language,
                q.site,
                q.created_at,
                inquiry_id=q.id,
            )
            for q in inquiries
        ]
        return sorted(found, key=lambda report: report.at)

    def unlinked_open_requests(self, since: datetime) -> list[SupportRequest]:
        query = (
            select(RequestRow)
            .where(
                RequestRow.status.in_(UNRESOLVED),
                RequestRow.created_at >= since,
                RequestRow.incident_id.is_(None),
            )
            .order_by(RequestRow.created_at, RequestRow.id)
        )
        return [request_from_row(row) for row in self._session.scalars(query)]

    def lock_unlinked(self, request_refs: list[str]) -> list[str]:
        # FOR UPDATE: a transaction grouping the same requests at the same time makes this wait;
        # PostgreSQL then re-reads the rows and leaves out those it linked (no twin incidents).
        query = (
            select(RequestRow.ref)
            .where(
                RequestRow.ref.in_(request_refs),
                RequestRow.status.in_(UNRESOLVED),
                RequestRow.incident_id.is_(None),
            )
            .order_by(RequestRow.id)
            .with_for_update()
        )
        return [ref for ref in self._session.scalars(query) if ref is not None]

    def _id(self, ref: str) -> int:
        row = self._rows.get(ref)
        found = row.id if row is not None else incident_id_of(self._session, ref)
        if found is None:
            raise LookupError(f"incident {ref!r} is not in the register")
        return found


class SqlPostedMessages(SqlPostedMessageRepository):
    """Posted messages of requests and of incidents: an incident ref's messages are kept in
    incident_messages, so the router can post and update incident pings like any other."""

    def add(self, message: PostedMessage) -> None:
        if not is_incident_ref(message.ref):
            super().add(message)
            return
        incident_id = incident_id_of(self._session, message.ref)
        if incident_id is None:
            raise LookupError(f"incident {message.ref!r} is not in the register")
        self._session.add(
            IncidentMessageRow(
                incident_id=incident_id,
                platform=message.platform,
                chat_id=message.chat_id,
                message_id=message.message_id,
                kind=message.kind,
                level=message.level.value if message.level else None,
                thread_id=message.thread_id,
            )
        )

    def for_request(self, ref: str, *, kind: str | None = None) -> list[PostedMessage]:
        if not is_incident_ref(ref):
            return super().for_request(ref, kind=kind)
        query = (
            select(IncidentMessageRow)
            .join(IncidentRow, IncidentMessageRow.incident_id == IncidentRow.id)
            .where(IncidentRow.ref == ref)
            .order_by(IncidentMessageRow.id)
        )
        if kind is not None:
            query = query.where(IncidentMessageRow.kind == kind)
        return [posted_from_row(row, ref) for row in self._session.scalars(query)]

    def find(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None:
        found = super().find(platform, chat_id, message_id)
        if found is not None:
            return found
        query = (
            select(IncidentMessageRow, IncidentRow.ref)
            .join(IncidentRow, IncidentMessageRow.incident_id == IncidentRow.id)
            .where(
                IncidentMessageRow.platform == platform,
                IncidentMessageRow.chat_id == chat_id,
                IncidentMessageRow.message_id == message_id,
            )
        )
        row = self._session.execute(query).one_or_none()
        return posted_from_row(row[0], row[1] or "") if row is not None else None
