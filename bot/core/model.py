"""The support domain: inquiries, requests, levels, statuses and history; no platform, no database."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime


class Level(enum.StrEnum):
    """Support level: L1 site system administrators, L2 coordinators, L3 developers."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"

    def next(self) -> Level | None:
        order = list(Level)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


class Status(enum.StrEnum):
    """Where a logged request stands. `waiting` means waiting for the requester's answer."""

    OPEN = "open"
    CLAIMED = "claimed"
    WAITING = "waiting"
    RESOLVED = "resolved"


class Outcome(enum.StrEnum):
    """What became of a question the bot answered with suggestions."""

    PENDING = "pending"  # suggestions shown, the user has not said yet
    SOLVED = "solved"  # an article solved it (a deflection)
    NONE_HELPED = "none_helped"  # the user said none helped: a request was logged
    NO_MATCH = "no_match"  # nothing in the KB matched: a request was logged at once
    KNOWN_ISSUE = "known_issue"  # it matched an open incident: linked to it, no request logged


class Action(enum.StrEnum):
    """Entries of a request's history."""

    LOGGED = "logged"
    CLAIMED = "claimed"
    REPLIED = "replied"
    REQUESTER_ANSWERED = "requester_answered"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REFUSED = "refused"
    REQUESTER_UNREACHABLE = "requester_unreachable"
    INCIDENT_LINKED = "incident_linked"  # grouped under an L3 incident (detail: its ref)
    REMINDED = "reminded"  # the SLA sweeper's "due soon" reminder: detail `<target> due <time>`
    # Audit of the register itself (`supportbot register show|export|purge`).
    VIEWED = "viewed"
    EXPORTED = "exported"
    PURGED = "purged"


@dataclass(frozen=True)
class Person:
    """Someone writing to the bot, as the platform identifies them."""

    platform: str
    user_id: str
    display_name: str
    language: str | None = None

    @property
    def identity(self) -> str:
        """Platform-qualified id, e.g. `slack:U0ALICE001`, as allow-lists and history record it."""
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat (DM, channel, group) and optionally a thread in it."""

    platform: str
    chat_id: str
    thread_id: str | None = None


@dataclass(frozen=True)
class Deadlines:
    """SLA due times of a request at its current level (UTC, timezone-aware)."""

    first_response: datetime
    resolution: datetime


class SlaState(enum.StrEnum):
    """Where a request stands against its next due time."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaStanding:
    """A request's next due time (`target`: "first_response" or "resolution") and its state;
    `paused` while the clock stands still because the request waits for its requester."""

    state: SlaState
    due: datetime
    target: str
    paused: bool = False


@dataclass
class Inquiry:
    """A question the bot answered with suggestions, and what the user said about them."""

    requester: Person
    reply_to: Address
    question: str
    language: str
    site: str | None
    suggested_ids: tuple[str, ...]
    created_at: datetime
    outcome: Outcome = Outcome.PENDING
    solved_article_id: str | None = None
    answered_at: datetime | None = None
    request_ref: str | None = None
    id: int | None = None  # assigned by the register


@dataclass
class SupportRequest:
    """A logged help request: what the register keeps and staff work on."""

    requester: Person
    reply_to: Address
    question: str
    language: str
    site: str | None
    level: Level
    status: Status
    created_at: datetime
    updated_at: datetime
    deadlines: Deadlines | None = None
    suggested_ids: tuple[str, ...] = ()
    feedback: Outcome = Outcome.NO_MATCH
    claimed_by: Person | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution_note: str | None = None
    ref: str = ""  # assigned by the register when the request is added
    # The SLA clock: when the request reached its current level (None: at `created_at`), and
    # since when it stands still because the request waits for the requester (None: running).
    level_entered_at: datetime | None = None
    paused_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not Status.RESOLVED

    def snapshot(self) -> SupportRequest:
        """An independent copy, safe to hand to renderers after the transaction ends."""
        return replace(self)


@dataclass(frozen=True)
class HistoryEntry:
    """One append-only line of a request's history: who did what, when."""

    ref: str
    at: datetime
    actor: str  # platform-qualified identity, or "bot"
    action: Action
    detail: str = ""
    level: Level | None = None
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PostedMessage:
    """A message the bot posted about a request (a staff ping or a notice to the requester),
    kept so the ping can be updated later and a reply to it can be tied to its request."""

    ref: str
    platform: str
    chat_id: str
    message_id: str  # Slack `ts`, Telegram `message_id`
    kind: str  # "ping" | "notice"
    level: Level | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class Preferences:
    """What a person chose explicitly (language, site); it wins over platform defaults."""

    identity: str  # platform-qualified, as Person.identity
    language: str | None = None
    site: str | None = None


class IncidentStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass
class Incident:
    """One problem that several requesters reported: an L3 matter, resolved once for all.
    `summary` is the masked question of the request that started it (no personal data)."""

    summary: str
    created_at: datetime
    updated_at: datetime
    status: IncidentStatus = IncidentStatus.OPEN
    site: str | None = None
    level: Level = Level.L3
    claimed_by: Person | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None  # platform-qualified identity
    resolution_note: str | None = None
    ref: str = ""  # "INC-<id>", assigned by the register when the incident is added
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is IncidentStatus.OPEN


@dataclass(frozen=True)
class IncidentReport:
    """Someone who reported an incident's problem: a linked request (`request_ref`) or a
    question answered "known issue" (`inquiry_id`); where and in which language to tell them."""

    reply_to: Address
    language: str
    site: str | None
    at: datetime
    request_ref: str | None = None
    inquiry_id: int | None = None
