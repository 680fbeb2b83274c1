"""What the core sends out: replies to the current conversation and notifications to others.

Every platform adapter renders these neutral types in its own way (Block Kit, inline keyboards,
terminal lines); the core never knows how.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Address, Level, Status


@dataclass(frozen=True)
class ArticleChoice:
    """One suggested article as a user sees it."""

    article_id: str
    title: str
    excerpt: str
    url: str | None
    language: str
    body: str = ""  # full Markdown body, for platforms that show the article inline
    # When the article shown is a translation, its original is offered too.
    original_id: str | None = None
    original_title: str | None = None
    original_url: str | None = None
    original_language: str | None = None
    original_label: str | None = None  # "Original (English)" in the user's language


@dataclass(frozen=True)
class TextReply:
    """Plain text answer to the person who wrote."""

    text: str


@dataclass(frozen=True)
class SuggestionsReply:
    """Articles to try, each with a "this solved it" choice, plus one "none of these helped"."""

    inquiry_id: int
    intro: str
    articles: tuple[ArticleChoice, ...]
    solved_label: str
    none_label: str


@dataclass(frozen=True)
class KnownIssueReply:
    """The question matches an open incident: its status in words, and one "my problem is
    different" button that answers the inquiry like "none of these helped" (a request is
    logged)."""

    inquiry_id: int
    incident_ref: str
    text: str
    different_label: str


Reply = TextReply | SuggestionsReply | KnownIssueReply


@dataclass(frozen=True)
class StaffAction:
    """A button on a ping: what it does, to which request, and its label in the staff language."""

    verb: str  # "claim" | "reply" | "resolve" | "escalate"
    ref: str
    label: str


@dataclass(frozen=True)
class PingView:
    """Everything a staff channel shows about a request; rendered by each adapter."""

    ref: str
    level: Level
    status: Status
    title: str  # one line: what happened ("New request", "Escalated to L2", …)
    lines: tuple[str, ...]  # label: value lines in the staff language
    actions: tuple[StaffAction, ...]


@dataclass(frozen=True)
class StaffPing:
    """Post a new ping about a request to every destination of `level`; the request's `site`
    may have destinations of its own (L1 teams per site)."""

    level: Level
    view: PingView
    site: str | None = None


@dataclass(frozen=True)
class PingRefresh:
    """Update every ping already posted about `view.ref` so channels show the truth."""

    view: PingView


@dataclass(frozen=True)
class RequesterNotice:
    """A message to the person who asked, wherever they asked."""

    ref: str
    to: Address
    text: str


@dataclass(frozen=True)
class StaffRelay:
    """The requester's answer, relayed back to the staff who work on the request."""

    ref: str
    level: Level
    text: str


@dataclass(frozen=True)
class StaffNotice:
    """A direct message to one staff member (an SLA reminder to whoever claimed a request);
    not remembered as a requester notice, so a reply to it is never taken for the requester's."""

    ref: str
    to: Address
    text: str


Notification = StaffPing | PingRefresh | RequesterNotice | StaffRelay | StaffNotice
