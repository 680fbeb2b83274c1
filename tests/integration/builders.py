"""Requests and inquiries with every field filled, for register tests to store and compare."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from bot.core.model import (
    Address,
    Deadlines,
    Inquiry,
    Level,
    Outcome,
    Person,
    Status,
    SupportRequest,
)

MONDAY = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
NAIROBI = timezone(timedelta(hours=3))  # a non-UTC offset: the register must store the instant

ALICE = Person("slack", "U0ALICE001", "Alice Field", "fr")
BOB = Person("telegram", "111111111", "Bob Field")
CAROL = Person("slack", "U0CAROL003", "Carol Coordinator")


def at(minutes: float) -> datetime:
    return MONDAY + timedelta(minutes=minutes)


def a_request(requester: Person = ALICE, **changes: Any) -> SupportRequest:
    """An open L1 request with every optional field empty."""
    request = SupportRequest(
        requester=requester,
        reply_to=Address(requester.platform, f"D-{requester.user_id}"),
        question="I cannot mark records for offline use",
        language=requester.language or "en",
        site="kenya",
        level=Level.L1,
        status=Status.OPEN,
        created_at=MONDAY,
        updated_at=MONDAY,
    )
    return replace(request, **changes)


def a_full_request() -> SupportRequest:
    """A request with every field set, times given in a non-UTC offset."""
    return a_request(
        reply_to=Address("slack", "C0HELPDESK", "1732356000.123456"),
        question='Sync fails: "Error 500", then [bold]nothing[/bold]; ünïcödé ok?\nSecond line',
        level=Level.L2,
        status=Status.CLAIMED,
        created_at=MONDAY.astimezone(NAIROBI),
        updated_at=at(30).astimezone(NAIROBI),
        deadlines=Deadlines(first_response=at(8 * 60), resolution=at(40 * 60)),
        suggested_ids=("mark-for-offline", "sync-errors"),
        feedback=Outcome.NONE_HELPED,
        claimed_by=CAROL,
        first_response_at=at(20),
        resolved_at=at(90),
        resolution_note="Cleared the browser cache",
    )


def an_inquiry(requester: Person = BOB, **changes: Any) -> Inquiry:
    inquiry = Inquiry(
        requester=requester,
        reply_to=Address(requester.platform, f"chat-{requester.user_id}", "thread-7"),
        question="how do I reset my password",
        language="en",
        site=None,
        suggested_ids=("forgot-password", "account-locked"),
        created_at=MONDAY,
    )
    return replace(inquiry, **changes)
