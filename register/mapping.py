"""Explicit mapping between register rows and the core's dataclasses (the core has no SQLAlchemy)."""

from __future__ import annotations

from bot.core.model import (
    Action,
    Address,
    Deadlines,
    HistoryEntry,
    Inquiry,
    Level,
    Outcome,
    Person,
    PostedMessage,
    Status,
    SupportRequest,
)
from register.orm import HistoryRow, IncidentMessageRow, InquiryRow, PostedMessageRow, RequestRow


def _check_same_platform(requester: Person, reply_to: Address) -> None:
    # The register keeps one platform column per row; a mismatch would be silently lost.
    if requester.platform != reply_to.platform:
        raise ValueError(
            f"reply address platform {reply_to.platform!r} differs from the requester's "
            f"{requester.platform!r}; the register stores one platform per request"
        )


def person_from_identity(identity: str, display_name: str) -> Person:
    """Rebuild a Person from its platform-qualified identity (`slack:U0ALICE001`)."""
    platform, _, user_id = identity.partition(":")
    return Person(platform, user_id, display_name)


def copy_request_onto(row: RequestRow, request: SupportRequest) -> None:
    """Write every field of the dataclass onto the row (except `ref`, which the register owns)."""
    _check_same_platform(request.requester, request.reply_to)
    row.level, row.status = request.level.value, request.status.value
    row.platform = request.requester.platform
    row.requester_id = request.requester.user_id
    row.requester_name = request.requester.display_name
    row.requester_language = request.requester.language
    row.reply_chat_id, row.reply_thread_id = request.reply_to.chat_id, request.reply_to.thread_id
    row.language, row.site, row.question = request.language, request.site, request.question
    row.suggested_ids = list(request.suggested_ids)
    row.feedback = request.feedback.value
    claimer = request.claimed_by
    row.claimed_by = claimer.identity if claimer else None
    row.claimed_by_name = claimer.display_name if claimer else None
    row.created_at, row.updated_at = request.created_at, request.updated_at
    deadlines = request.deadlines
    row.first_response_due = deadlines.first_response if deadlines else None
    row.resolution_due = deadlines.resolution if deadlines else None
    row.first_response_at, row.resolved_at = request.first_response_at, request.resolved_at
    row.resolution_note = request.resolution_note
    row.level_entered_at, row.paused_at = request.level_entered_at, request.paused_at


def request_from_row(row: RequestRow) -> SupportRequest:
    """A fresh dataclass from a row; changes to it reach the database only through `save`."""
    deadlines = None
    if row.first_response_due is not None and row.resolution_due is not None:
        deadlines = Deadlines(row.first_response_due, row.resolution_due)
    claimer = None
    if row.claimed_by is not None:
        claimer = person_from_identity(row.claimed_by, row.claimed_by_name or row.claimed_by)
    return SupportRequest(
        requester=Person(
            row.platform, row.requester_id, row.requester_name, row.requester_language
        ),
        reply_to=Address(row.platform, row.reply_chat_id, row.reply_thread_id),
        question=row.question,
        language=row.language,
        site=row.site,
        level=Level(row.level),
        status=Status(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        deadlines=deadlines,
        suggested_ids=tuple(row.suggested_ids),
        feedback=Outcome(row.feedback),
        claimed_by=claimer,
        first_response_at=row.first_response_at,
        resolved_at=row.resolved_at,
        resolution_note=row.resolution_note,
        ref=row.ref or "",
        level_entered_at=row.level_entered_at,
        paused_at=row.paused_at,
    )


def history_row(entry: HistoryEntry, request_id: int) -> HistoryRow:
    return HistoryRow(
        request_id=request_id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action.value,
        level=entry.level.value if entry.level else None,
        detail=entry.detail,
    )


def history_from_row(row: HistoryRow, ref: str) -> HistoryEntry:
    return HistoryEntry(
        ref=ref,
        at=row.at,
        actor=row.actor,
        action=Action(row.action),
        detail=row.detail,
        level=Level(row.level) if row.level else None,
        id=row.id,
    )


def inquiry_values(inquiry: Inquiry) -> dict[str, object]:
    """Every field of the dataclass as the row's columns (except `id`, which the register owns)."""
    _check_same_platform(inquiry.requester, inquiry.reply_to)
    return {
        "platform": inquiry.requester.platform,
        "requester_id": inquiry.requester.user_id,
        "requester_name": inquiry.requester.display_name,
        "requester_language": inquiry.requester.language,
        "reply_chat_id": inquiry.reply_to.chat_id,
        "reply_thread_id": inquiry.reply_to.thread_id,
        "question": inquiry.question,
        "language": inquiry.language,
        "site": inquiry.site,
        "suggested_ids": list(inquiry.suggested_ids),
        "outcome": inquiry.outcome.value,
        "solved_article_id": inquiry.solved_article_id,
        "answered_at": inquiry.answered_at,
        "request_ref": inquiry.request_ref,
        "created_at": inquiry.created_at,
    }


def copy_inquiry_onto(row: InquiryRow, inquiry: Inquiry) -> None:
    """Write every field of the dataclass onto the row (except `id`, which the register owns)."""
    for column, value in inquiry_values(inquiry).items():
        setattr(row, column, value)


def inquiry_from_row(row: InquiryRow) -> Inquiry:
    return Inquiry(
        requester=Person(
            row.platform, row.requester_id, row.requester_name, row.requester_language
        ),
        reply_to=Address(row.platform, row.reply_chat_id, row.reply_thread_id),
        question=row.question,
        language=row.language,
        site=row.site,
        suggested_ids=tuple(row.suggested_ids),
        created_at=row.created_at,
        outcome=Outcome(row.outcome),
        solved_article_id=row.solved_article_id,
        answered_at=row.answered_at,
        request_ref=row.request_ref,
        id=row.id,
    )


def posted_row(message: PostedMessage, request_id: int) -> PostedMessageRow:
    return PostedMessageRow(
        request_id=request_id,
        platform=message.platform,
        chat_id=message.chat_id,
        message_id=message.message_id,
        kind=message.kind,
        level=message.level.value if message.level else None,
        thread_id=message.thread_id,
    )


def posted_from_row(row: PostedMessageRow | IncidentMessageRow, ref: str) -> PostedMessage:
    """A message posted about a request, or (same columns) about an incident."""
    return PostedMessage(
        ref=ref,
        platform=row.platform,
        chat_id=row.chat_id,
        message_id=row.message_id,
        kind=row.kind,
        level=Level(row.level) if row.level else None,
        thread_id=row.thread_id,
    )
