"""What every part of the support workflow shares: its ports, its settings and small helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Action, HistoryEntry, Level, Person, SlaState, SupportRequest
from bot.core.outgoing import Reply, TextReply
from bot.core.ports import (
    Catalogue,
    Clock,
    KnowledgeBase,
    LanguageDetector,
    Notifier,
    SlaPolicy,
    StaffDirectory,
    TextSimilarity,
    UnitOfWork,
    UnitOfWorkFactory,
)

log = logging.getLogger("supportbot.core")


@dataclass(frozen=True)
class DeskConfig:
    default_language: str = "en"
    staff_language: str = "en"
    max_suggestions: int = 3
    max_question_chars: int = 2000
    default_site: str | None = None
    languages: tuple[str, ...] = ("en", "fr", "es", "pt", "ar")
    sites: tuple[str, ...] = ()
    questions_per_minute: int = 10  # per person; over it, a friendly "please wait"
    questions_per_hour: int = 60
    reference_prefix: str = "SR"  # our own references (SR-42) are never masked as case data
    # From the sites file, for people who chose no site: platform-qualified chats
    # (`slack:C0123`, `telegram:-100123`) and Slack team ids to sites; sites' default languages.
    site_by_chat: Mapping[str, str] = field(default_factory=dict)
    site_by_team: Mapping[str, str] = field(default_factory=dict)
    site_languages: Mapping[str, str] = field(default_factory=dict)
    # Incidents (bot/core/incidents.py): requests this alike (0-100, see
    # bench/incident_similarity.py) within the window are one problem; an incident opens when
    # `incident_min_requests` of them are open.
    incident_threshold: float = 70.0
    incident_min_requests: int = 3
    incident_window_days: int = 7


@dataclass(frozen=True)
class DeskDeps:
    """The ports wired by the composition root."""

    unit_of_work: UnitOfWorkFactory
    kb: KnowledgeBase
    notifier: Notifier
    clock: Clock
    catalogue: Catalogue
    staff: StaffDirectory
    sla: SlaPolicy
    config: DeskConfig = DeskConfig()
    detector: LanguageDetector | None = None  # guesses a question's language when none is known
    similarity: TextSimilarity | None = None  # None: no incidents (requests are never grouped)

    def language_of(self, person: Person) -> str:
        return person.language or self.config.default_language

    def language_name(self, code: str, language: str) -> str | None:
        """A language as a reader of `language` names it (`Arabic`); None when unnamed."""
        key = "language.name." + code.split("-")[0].lower()
        try:
            return self.catalogue.text(key, language)
        except KeyError:  # a language the catalogue has no name for
            return None

    def language_label(self, code: str, language: str) -> str:
        """A language with its code: `Arabic (ar)`; just the code when it has no name."""
        name = self.language_name(code, language)
        return f"{name} ({code})" if name else code

    def say(self, incoming: Incoming, key: str, /, **params: object) -> TextReply:
        language = self.language_of(incoming.sender)
        return TextReply(self.catalogue.text(key, language, **params))

    def due_text(self, request: SupportRequest, language: str) -> str:
        """The next due time in the reader's terms, marked when it is near or past."""
        if request.deadlines is None:
            return "-"
        standing = self.sla.standing(request, self.clock.now())
        due = standing.due if standing else request.deadlines.first_response
        text = self.catalogue.format_time(due, language, request.site)
        if standing is None or standing.state is SlaState.ON_TRACK:
            return text
        state = self.catalogue.text(f"sla.state.{standing.state.value}", language)
        return self.catalogue.text("sla.due_with_state", language, due=text, state=state)

    def sla_text(self, request: SupportRequest, language: str) -> str | None:
        """Where the request stands against its SLA, for staff; None when nothing is due."""
        standing = self.sla.standing(request, self.clock.now())
        if standing is None:
            return None
        say = self.catalogue.text
        key = "sla.standing_paused" if standing.paused else "sla.standing"
        state = say(f"sla.state.{standing.state.value}", language)
        target = say(f"sla.target.{standing.target}", language)
        return say(key, language, state=state, target=target)

    def history(
        self, uow: UnitOfWork, request: SupportRequest, actor: str, action: Action, detail: str = ""
    ) -> None:
        uow.requests.append_history(
            HistoryEntry(
                ref=request.ref,
                at=self.clock.now(),
                actor=actor,
                action=action,
                detail=detail,
                level=request.level,
            )
        )

    def level_name(self, level: Level, language: str) -> str:
        return self.catalogue.text(f"level.{level.value}", language)


def run_in_transaction(
    deps: DeskDeps, incoming: Incoming, work: Callable[[UnitOfWork], list[Reply]]
) -> list[Reply]:
    """One unit of work per incoming event; notifications go out only after the commit.

    A redelivered event (same key) is answered with nothing. An `ActionRefused` rolls back and
    becomes the refusal's message, so a refused action changes nothing.
    """
    try:
        with deps.unit_of_work() as uow:
            if incoming.event_key and not uow.first_delivery(incoming.event_key):
                log.info("ignoring redelivered event %s", incoming.event_key)
                return []
            replies = work(uow)
            uow.commit()
            published = list(uow.published)
    except ActionRefused as refusal:
        return [deps.say(incoming, refusal.key, **refusal.params)]
    if published:
        deps.notifier.deliver(published)
    return replies


def answer_safely(
    deps: DeskDeps, incoming: Incoming, handle: Callable[[], list[Reply]]
) -> list[Reply]:
    """errbot's split: expected refusals are handled inside; anything else is logged once with
    its traceback and the user gets a fixed apology, never exception text."""
    try:
        return handle()
    except Exception:
        log.exception("failed to handle an event from %s", incoming.sender.identity)
        return [deps.say(incoming, "error.apology")]
