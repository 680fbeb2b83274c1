"""In-memory fakes of the core's ports (cosmicpython style), for unit tests without I/O."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from bot.core.model import (
    HistoryEntry,
    Incident,
    IncidentReport,
    Inquiry,
    Outcome,
    Person,
    PostedMessage,
    Preferences,
    SupportRequest,
)
from bot.core.outgoing import Notification
from bot.core.ports import ArticleMatch


@dataclass
class FakeStore:
    """What a database would hold; shared by every unit of work of one test."""

    requests: dict[str, SupportRequest] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    inquiries: dict[int, Inquiry] = field(default_factory=dict)
    event_keys: set[str] = field(default_factory=set)
    posted: list[PostedMessage] = field(default_factory=list)
    preferences: dict[str, Preferences] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    request_incidents: dict[str, str] = field(default_factory=dict)  # request ref -> incident ref
    inquiry_incidents: dict[int, str] = field(default_factory=dict)  # inquiry id -> incident ref
    commits: int = 0


class FakeRequestRepository:
    def __init__(self, store: FakeStore, prefix: str = "SR") -> None:
        self._store, self._prefix = store, prefix
        self.pending: dict[str, SupportRequest] = {}
        self.pending_history: list[HistoryEntry] = []

    def add(self, request: SupportRequest) -> None:
        number = len(self._store.requests) + len(self.pending) + 1
        request.ref = f"{self._prefix}-{number}"
        self.pending[request.ref] = request

    def get(self, ref: str) -> SupportRequest | None:
        if ref in self.pending:
            return self.pending[ref]
        stored = self._store.requests.get(ref)
        if stored is None:
            return None
        # A copy, like a row loaded from a database: changes count only once saved and committed.
        self.pending[ref] = copy.deepcopy(stored)
        return self.pending[ref]

    def save(self, request: SupportRequest) -> None:
        self.pending[request.ref] = request

    def list_for_requester(self, requester: Person, *, open_only: bool) -> list[SupportRequest]:
        found = [
            r
            for r in self._store.requests.values()
            if r.requester.identity == requester.identity and (r.is_open or not open_only)
        ]
        return sorted(found, key=lambda r: r.created_at, reverse=True)

    def append_history(self, entry: HistoryEntry) -> None:
        self.pending_history.append(entry)

    def history(self, ref: str) -> list[HistoryEntry]:
        return [entry for entry in self._store.history if entry.ref == ref]


class FakeInquiryRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self.pending: dict[int, Inquiry] = {}

    def add(self, inquiry: Inquiry) -> None:
        inquiry.id = len(self._store.inquiries) + len(self.pending) + 1
        self.pending[inquiry.id] = inquiry

    def get(self, inquiry_id: int) -> Inquiry | None:
        if inquiry_id not in self.pending and inquiry_id in self._store.inquiries:
            self.pending[inquiry_id] = copy.deepcopy(self._store.inquiries[inquiry_id])
        return self.pending.get(inquiry_id)

    def save(self, inquiry: Inquiry) -> None:
        assert inquiry.id is not None
        self.pending[inquiry.id] = inquiry


class FakePostedMessageRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self.pending: list[PostedMessage] = []

    def add(self, message: PostedMessage) -> None:
        self.pending.append(message)

    def for_request(self, ref: str, *, kind: str | None = None) -> list[PostedMessage]:
        every = [*self._store.posted, *self.pending]
        return [m for m in every if m.ref == ref and (kind is None or m.kind == kind)]

    def find(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None:
        for m in [*self._store.posted, *self.pending]:
            if (m.platform, m.chat_id, m.message_id) == (platform, chat_id, message_id):
                return m
        return None


class FakePreferenceRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self.pending: dict[str, Preferences] = {}

    def get(self, identity: str) -> Preferences | None:
        return self.pending.get(identity) or self._store.preferences.get(identity)

    def identities(self) -> frozenset[str]:
        return frozenset([*self._store.preferences, *self.pending])

    def save(self, preferences: Preferences) -> None:
        self.pending[preferences.identity] = preferences


class FakeIncidentRepository:
    """Incidents and their links; sees the requests and inquiries of its own unit of work."""

    def __init__(
        self, store: FakeStore, requests: FakeRequestRepository, inquiries: FakeInquiryRepository
    ) -> None:
        self._store, self._requests, self._inquiries = store, requests, inquiries
        self.pending: dict[str, Incident] = {}
        self.pending_requests: dict[str, str] = {}
        self.pending_inquiries: dict[int, str] = {}

    def add(self, incident: Incident) -> None:
        incident.id = len(self._store.incidents) + len(self.pending) + 1
        incident.ref = f"INC-{incident.id}"
        self.pending[incident.ref] = incident

    def get(self, ref: str) -> Incident | None:
        if ref not in self.pending and ref in self._store.incidents:
            self.pending[ref] = copy.deepcopy(self._store.incidents[ref])
        return self.pending.get(ref)

    def save(self, incident: Incident) -> None:
        self.pending[incident.ref] = incident

    def list_open(self) -> list[Incident]:
        every = {**self._store.incidents, **self.pending}
        return sorted((i for i in every.values() if i.is_open), key=lambda i: i.id or 0)

    def link_request(self, incident_ref: str, request_ref: str) -> None:
        self.pending_requests[request_ref] = incident_ref

    def incident_of(self, request_ref: str) -> str | None:
        return {**self._store.request_incidents, **self.pending_requests}.get(request_ref)

    def link_inquiry(self, incident_ref: str, inquiry_id: int) -> None:
        self.pending_inquiries[inquiry_id] = incident_ref

    def reports(self, incident_ref: str) -> list[IncidentReport]:
        requests = {**self._store.requests, **self._requests.pending}
        inquiries = {**self._store.inquiries, **self._inquiries.pending}
        links = {**self._store.request_incidents, **self.pending_requests}
        asked = {**self._store.inquiry_incidents, **self.pending_inquiries}
        found = [
            IncidentReport(r.reply_to, r.language, r.site, r.created_at, request_ref=r.ref)
            for ref, r in requests.items()
            if links.get(ref) == incident_ref
        ]
        found += [
            IncidentReport(q.reply_to, q.language, q.site, q.created_at, inquiry_id=q.id)
            for number, q in inquiries.items()
            if asked.get(number) == incident_ref and q.outcome is Outcome.KNOWN_ISSUE
        ]
        return sorted(found, key=lambda report: report.at)

    def unlinked_open_requests(self, since: datetime) -> list[SupportRequest]:
        requests = {**self._store.requests, **self._requests.pending}
        links = {**self._store.request_incidents, **self.pending_requests}
        return [
            r
            for ref, r in requests.items()
            if r.is_open and r.created_at >= since and ref not in links
        ]

    def lock_unlinked(self, request_refs: list[str]) -> list[str]:
        unlinked = {r.ref for r in self.unlinked_open_requests(datetime.min.replace(tzinfo=UTC))}
        return [ref for ref in request_refs if ref in unlinked]

    def commit(self) -> None:
        self._store.incidents.update(copy.deepcopy(self.pending))
        self._store.request_incidents.update(self.pending_requests)
        self._store.inquiry_incidents.update(self.pending_inquiries)
        self.rollback()

    def rollback(self) -> None:
        self.pending, self.pending_requests, self.pending_inquiries = {}, {}, {}


class FakeUnitOfWork:
    def __init__(self, store: FakeStore, *, read_only: bool = False) -> None:
        self._store = store
        self.read_only = read_only
        self.requests = FakeRequestRepository(store)
        self.inquiries = FakeInquiryRepository(store)
        self.posted = FakePostedMessageRepository(store)
        self.preferences = FakePreferenceRepository(store)
        self.incidents = FakeIncidentRepository(store, self.requests, self.inquiries)
        self.published: list[Notification] = []
        self._keys: set[str] = set()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def first_delivery(self, event_key: str) -> bool:
        if event_key in self._store.event_keys or event_key in self._keys:
            return False
        self._keys.add(event_key)
        return True

    def publish(self, notification: Notification) -> None:
        self.published.append(notification)

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit; make a writing one")
        self.incidents.commit()
        self._store.requests.update(copy.deepcopy(self.requests.pending))
        self._store.inquiries.update(copy.deepcopy(self.inquiries.pending))
        self._store.history.extend(self.requests.pending_history)
        self._store.event_keys |= self._keys
        self._store.posted.extend(self.posted.pending)
        self._store.preferences.update(self.preferences.pending)
        self.posted.pending, self.preferences.pending = [], {}
        self._store.commits += 1
        self.requests.pending, self.requests.pending_history = {}, []
        self.inquiries.pending, self._keys = {}, set()

    def rollback(self) -> None:
        self.incidents.rollback()
        self.posted.pending, self.preferences.pending = [], {}
        self.requests.pending, self.requests.pending_history = {}, []
        self.inquiries.pending, self._keys = {}, set()


class FakeUnitOfWorkFactory:
    def __init__(self) -> None:
        self.store = FakeStore()

    def __call__(self, *, read_only: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, read_only=read_only)


@dataclass(frozen=True)
class FakeArticle:
    article_id: str
    title: str
    keywords: frozenset[str]
    language: str = "en"


class FakeKnowledgeBase:
    """Matches by shared keywords: enough to exercise the workflow, not a search engine."""

    def __init__(self, articles: Sequence[FakeArticle]) -> None:
        self._articles = list(articles)

    def suggest(self, query: str, *, language: str | None, limit: int) -> list[ArticleMatch]:
        words = set(query.lower().split())
        scored = [(len(words & a.keywords), a) for a in self._articles]
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])[:limit]
        return [self._match(article, 50.0 + 10 * hits) for hits, article in ranked]

    def article(self, article_id: str, *, language: str | None = None) -> ArticleMatch | None:
        found = [a for a in self._articles if a.article_id == article_id]
        return self._match(found[0], 100.0) if found else None

    @staticmethod
    def _match(article: FakeArticle, score: float) -> ArticleMatch:
        return ArticleMatch(
            article.article_id,
            article.title,
            f"About {article.title}",
            None,
            article.language,
            score,
        )


class RecordingNotifier:
    def __init__(self) -> None:
        self.delivered: list[Notification] = []

    def deliver(self, notifications: Sequence[Notification]) -> None:
        self.delivered.extend(notifications)


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
