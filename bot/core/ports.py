"""The ports the core needs from the outside world; adapters implement them, the core only calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from bot.core.model import (
    Deadlines,
    HistoryEntry,
    Incident,
    IncidentReport,
    Inquiry,
    Level,
    Person,
    PostedMessage,
    Preferences,
    SlaStanding,
    SupportRequest,
)
from bot.core.outgoing import Notification


@dataclass(frozen=True)
class ArticleMatch:
    """An article the knowledge base proposes for a question; `score` is 0-100."""

    article_id: str
    title: str
    excerpt: str
    url: str | None
    language: str
    score: float
    body: str = ""
    # When this version is a translation: the original it was translated from.
    original_id: str | None = None
    original_title: str | None = None
    original_url: str | None = None
    original_language: str | None = None


class KnowledgeBase(Protocol):
    """Suggests articles; returns only matches good enough to show (empty: nothing found)."""

    def suggest(
        self, query: str, *, language: str | None, limit: int
    ) -> Sequence[ArticleMatch]: ...

    def article(self, article_id: str, *, language: str | None = None) -> ArticleMatch | None: ...


class RequestRepository(Protocol):
    """Logged requests and their history. Never commits: the unit of work does."""

    def add(self, request: SupportRequest) -> None:
        """Store a new request and set its `ref`."""

    def get(self, ref: str) -> SupportRequest | None:
        """The request, locked for update until the unit of work ends; None if unknown."""

    def save(self, request: SupportRequest) -> None:
        """Write back the changes made to a request obtained from `get` or `add`."""

    def list_for_requester(self, requester: Person, *, open_only: bool) -> list[SupportRequest]: ...

    def append_history(self, entry: HistoryEntry) -> None: ...

    def history(self, ref: str) -> list[HistoryEntry]: ...


class InquiryRepository(Protocol):
    """Questions answered with suggestions (deflections are counted from these)."""

    def add(self, inquiry: Inquiry) -> None:
        """Store a new inquiry and set its `id`."""

    def get(self, inquiry_id: int) -> Inquiry | None: ...

    def save(self, inquiry: Inquiry) -> None: ...


class PostedMessageRepository(Protocol):
    """Messages the bot posted about requests (pings to update, notices to be answered)."""

    def add(self, message: PostedMessage) -> None: ...

    def for_request(self, ref: str, *, kind: str | None = None) -> list[PostedMessage]:
        """Oldest first."""

    def find(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None: ...


class PreferenceRepository(Protocol):
    """People's explicit choices, by platform-qualified identity."""

    def get(self, identity: str) -> Preferences | None: ...

    def identities(self) -> frozenset[str]:
        """Everyone who has saved a choice (most people never do)."""

    def save(self, preferences: Preferences) -> None:
        """Insert or replace."""


class IncidentRepository(Protocol):
    """L3 incidents and who reported each (linked requests, "known issue" inquiries)."""

    def add(self, incident: Incident) -> None:
        """Store a new incident and set its `ref` ("INC-<id>") and `id`."""

    def get(self, ref: str) -> Incident | None:
        """The incident, locked for update until the unit of work ends; None if unknown."""

    def save(self, incident: Incident) -> None: ...

    def list_open(self) -> list[Incident]:
        """Oldest first."""

    def link_request(self, incident_ref: str, request_ref: str) -> None: ...

    def incident_of(self, request_ref: str) -> str | None:
        """The ref of the incident a request is linked to, if any."""

    def link_inquiry(self, incident_ref: str, inquiry_id: int) -> None: ...

    def reports(self, incident_ref: str) -> list[IncidentReport]:
        """Linked requests and inquiries, oldest first."""

    def unlinked_open_requests(self, since: datetime) -> list[SupportRequest]:
        """Unresolved requests created at or after `since` that belong to no incident."""

    def lock_unlinked(self, request_refs: list[str]) -> list[str]:
        """Lock these requests until the unit of work ends; the refs still open and unlinked
        once locked (another transaction may have grouped some meanwhile)."""


class UnitOfWork(Protocol):
    """One transaction per incoming message. Notifications published inside it are handed to
    the notifier only after a successful commit, so nobody is told of a change that was lost."""

    requests: RequestRepository
    inquiries: InquiryRepository
    posted: PostedMessageRepository
    preferences: PreferenceRepository
    incidents: IncidentRepository
    published: list[Notification]

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def first_delivery(self, event_key: str) -> bool:
        """Record a platform event key; False when it was seen before (a redelivery)."""

    def publish(self, notification: Notification) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A fresh unit of work. `read_only` for pure reads: it takes no write lock (SQLite)
        and refuses to commit."""


class Notifier(Protocol):
    """Delivers committed notifications to staff channels and requesters."""

    def deliver(self, notifications: Sequence[Notification]) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""


class StaffDirectory(Protocol):
    """Who may act on requests of a level."""

    def may_act(self, person: Person, level: Level) -> bool: ...


class SlaPolicy(Protocol):
    """Due times of a request that enters `level` at `start` for `site`."""

    def deadlines(self, level: Level, site: str | None, start: datetime) -> Deadlines: ...

    def standing(self, request: SupportRequest, now: datetime) -> SlaStanding | None:
        """The request's next due time and state (on track, due soon, breached); None when
        resolved or without due times."""

    def resumed(
        self, deadlines: Deadlines, site: str | None, paused_at: datetime, now: datetime
    ) -> Deadlines:
        """Due times pushed by the working time the request spent waiting for its requester."""


class Catalogue(Protocol):
    """User-facing text by key and language (falls back to English)."""

    def text(self, key: str, language: str, /, **params: object) -> str: ...

    def format_time(self, moment: datetime, language: str, site: str | None) -> str:
        """A due time as the reader expects it: their language, the site's time zone."""

    def format_duration(self, delta: timedelta, language: str) -> str:
        """A length of time in words of the reader's language (`3 hours`, `3 heures`)."""


class TextSimilarity(Protocol):
    """How alike two texts are, 0-100: most of BOTH must agree (one shared word is not enough)."""

    def similarity(self, a: str, b: str, *, language: str | None) -> float: ...


class LanguageDetector(Protocol):
    """Guesses the language of a user's text; None when unsure (the default language is used)."""

    def detect(self, text: str) -> str | None: ...
