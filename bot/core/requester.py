"""The field user's side: ask, say whether an article solved it, check status, answer staff."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from bot.core.context import DeskDeps, run_in_transaction
from bot.core.guard import Masked, mask
from bot.core.incidents import Incidents, is_incident_ref
from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Action, Inquiry, Level, Outcome, Person, Status, SupportRequest
from bot.core.outgoing import (
    ArticleChoice,
    PingRefresh,
    Reply,
    StaffPing,
    StaffRelay,
    SuggestionsReply,
    TextReply,
)
from bot.core.ports import ArticleMatch, UnitOfWork
from bot.core.ratelimit import SlidingWindowLimiter, Window
from bot.core.sla import resume_clock
from bot.core.views import answers_of, ping_view, status_line

# Letters by category, but blank on screen: used to make a message look empty or to disguise it.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")


def clean_text(text: str) -> str:
    """Drop control, format (zero-width, bidi overrides like U+202E), lone surrogate and blank
    filler characters: they hide text, reorder it or break rendering and encoding. Every line
    break and space becomes one space: a message is one line, so nobody can fake extra lines or
    fields in a ping."""
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace()
        or (unicodedata.category(ch) not in ("Cc", "Cf", "Cs") and ch not in INVISIBLE)
    )
    return " ".join("".join(kept).split())


class RequesterDesk:
    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps
        self._incidents = Incidents(deps)
        config = deps.config
        self._question_limit = SlidingWindowLimiter(
            deps.clock,
            [
                Window(config.questions_per_minute, timedelta(minutes=1)),
                Window(config.questions_per_hour, timedelta(hours=1)),
            ],
        )

    def ask(self, incoming: Incoming, text: str) -> list[Reply]:
        """Suggest articles for a question; with none good enough, log a request at once."""
        deps = self._deps
        if not self._question_limit.try_acquire(incoming.sender.identity):
            return [deps.say(incoming, "limits.too_many")]
        question = clean_text(text)
        if not question:
            return [deps.say(incoming, "question.empty")]
        incoming = self._with_detected_language(incoming, question)
        limit = deps.config.max_question_chars
        if len(question) > limit:
            return [deps.say(incoming, "question.too_long", length=len(question), limit=limit)]
        # Case data goes no further than this line: what is searched, stored and pinged is masked.
        masked = self._mask(question)
        question = masked.text
        language = deps.language_of(incoming.sender)
        matches = deps.kb.suggest(question, language=language, limit=deps.config.max_suggestions)

        def work(uow: UnitOfWork) -> list[Reply]:
            notes = self._guard_notes(masked, language)
            incident = self._incidents.matching(uow, question, language)
            if incident is not None:  # a known problem: linked to it, nothing new is logged
                known = Outcome.KNOWN_ISSUE
                inquiry = self._record_inquiry(uow, incoming, question, (), known)
                return [*notes, self._incidents.known_issue(uow, inquiry, incident)]
            inquiry = self._record_inquiry(uow, incoming, question, matches)
            if matches:
                return [*notes, self._suggestions(inquiry, matches, language)]
            request = self._log_request(uow, inquiry, Outcome.NO_MATCH)
            return [*notes, self._logged_reply(request, "request.logged_no_match")]

        return run_in_transaction(deps, incoming, work)

    def give_feedback(
        self, incoming: Incoming, inquiry_id: int, article_id: str | None
    ) -> list[Reply]:
        """`article_id` solved the question, or (None) none of the suggestions helped; after a
        "known issue" answer, None means "my problem is different": a request is logged."""

        def work(uow: UnitOfWork) -> list[Reply]:
            inquiry = uow.inquiries.get(inquiry_id)
            if inquiry is None or inquiry.requester.identity != incoming.sender.identity:
                raise ActionRefused("feedback.unknown")
            different = inquiry.outcome is Outcome.KNOWN_ISSUE and article_id is None
            if inquiry.outcome is not Outcome.PENDING and not different:
                raise ActionRefused("feedback.already")
            inquiry.answered_at = self._deps.clock.now()
            if article_id is not None:
                if article_id not in inquiry.suggested_ids:
                    raise ActionRefused("feedback.not_suggested")
                inquiry.outcome = Outcome.SOLVED
                inquiry.solved_article_id = article_id
                uow.inquiries.save(inquiry)
                language = incoming.sender.language or inquiry.language  # as the question was
                return [TextReply(self._deps.catalogue.text("feedback.solved", language))]
            # Said to be different from the incident it matched: not grouped back into it.
            request = self._log_request(uow, inquiry, Outcome.NONE_HELPED, group=not different)
            return [self._logged_reply(request, "request.logged")]

        return run_in_transaction(self._deps, incoming, work)

    def status(self, incoming: Incoming) -> list[Reply]:
        """The requester's own open requests, and only theirs."""
        language = self._deps.language_of(incoming.sender)

        def work(uow: UnitOfWork) -> list[Reply]:
            requests = uow.requests.list_for_requester(incoming.sender, open_only=True)
            if not requests:
                return [self._deps.say(incoming, "status.none")]
            lines = [self._deps.catalogue.text("status.header", language)]
            lines += [status_line(self._deps, request, language) for request in requests]
            return [TextReply("\n".join(lines))]

        return run_in_transaction(self._deps, incoming, work)

    def answer_staff(self, incoming: Incoming, ref: str, text: str) -> list[Reply]:
        """The requester answers the staff about one of their requests; relayed to the pings."""
        answer = clean_text(text)
        ref = clean_text(ref).upper()  # echoed in refusals: no hidden characters
        limit = self._deps.config.max_question_chars
        if len(answer) > limit:
            return [self._deps.say(incoming, "question.too_long", length=len(answer), limit=limit)]
        masked = self._mask(answer)
        answer = masked.text

        def work(uow: UnitOfWork) -> list[Reply]:
            if is_incident_ref(ref):
                return self._answer_incident(uow, incoming, ref, masked)
            request = uow.requests.get(ref)
            if request is None or request.requester.identity != incoming.sender.identity:
                raise ActionRefused("refused.not_yours", ref=ref)
            if request.status is Status.RESOLVED:
                raise ActionRefused("refused.already_resolved", ref=ref)
            if not answer:
                raise ActionRefused("refused.empty_answer", ref=ref)
            if request.status is Status.WAITING:
                # The clock resumes: the request goes back to whoever was handling it.
                request.status = Status.CLAIMED if request.claimed_by else Status.OPEN
                resume_clock(request, self._deps.sla, self._deps.clock.now())
            request.updated_at = self._deps.clock.now()
            uow.requests.save(request)
            self._deps.history(
                uow, request, incoming.sender.identity, Action.REQUESTER_ANSWERED, answer
            )
            uow.publish(StaffRelay(ref=ref, level=request.level, text=answer))
            incident = uow.incidents.incident_of(ref)
            if incident is not None:  # the developers work on it now: their pings hear it too
                uow.publish(StaffRelay(ref=incident, level=Level.L3, text=f"({ref}) {answer}"))
            answers = [*answers_of(uow, ref), answer]  # this answer may not be flushed yet
            uow.publish(PingRefresh(ping_view(self._deps, request, "ping.updated", answers)))
            notes = self._guard_notes(masked, self._deps.language_of(incoming.sender))
            return [*notes, self._deps.say(incoming, "notice.answer_received", ref=ref)]

        return run_in_transaction(self._deps, incoming, work)

    def _answer_incident(
        self, uow: UnitOfWork, incoming: Incoming, ref: str, masked: Masked
    ) -> list[Reply]:
        """Someone who reported an incident's problem answers an update about it ("it still
        happens"): relayed to the developers' pings of the incident, open or resolved."""
        incident = uow.incidents.get(ref)
        if incident is None or not self._reported(uow, ref, incoming.sender):
            raise ActionRefused("refused.not_yours", ref=ref)
        if not masked.text:
            raise ActionRefused("refused.empty_answer", ref=ref)
        uow.publish(StaffRelay(ref=incident.ref, level=incident.level, text=masked.text))
        notes = self._guard_notes(masked, self._deps.language_of(incoming.sender))
        return [*notes, self._deps.say(incoming, "notice.answer_received", ref=incident.ref)]

    @staticmethod
    def _reported(uow: UnitOfWork, ref: str, person: Person) -> bool:
        """Whether `person` reported the incident: a linked request or a "known issue" answer."""
        mine = {r.ref for r in uow.requests.list_for_requester(person, open_only=False)}
        for report in uow.incidents.reports(ref):
            if report.request_ref in mine:
                return True
            if report.inquiry_id is not None:
                inquiry = uow.inquiries.get(report.inquiry_id)
                if inquiry is not None and inquiry.requester.identity == person.identity:
                    return True
        return False

    def _mask(self, text: str) -> Masked:
        """`text` without case data, and never longer than the cap even where a placeholder is
        longer than what it replaced."""
        masked = mask(text, reference_prefix=self._deps.config.reference_prefix)
        limit = self._deps.config.max_question_chars
        if len(masked.text) <= limit:
            return masked
        return Masked(masked.text[: limit - 1] + "…", masked.kinds)

    def _guard_notes(self, masked: Masked, language: str) -> list[Reply]:
        """A short, kind word on what was removed and why; nothing when nothing was."""
        if not masked.kinds:
            return []
        say = self._deps.catalogue.text
        items = [say(f"guard.kind.{kind}", language) for kind in masked.kinds]
        what = items[0]
        if len(items) > 1:
            comma = say("guard.list_comma", language)
            what = say("guard.list", language, items=comma.join(items[:-1]), last=items[-1])
        return [TextReply(say("guard.removed", language, what=what))]

    def _with_detected_language(self, incoming: Incoming, question: str) -> Incoming:
        """Neither a chosen language nor a platform locale: guess it from the question itself."""
        detector = self._deps.detector
        if incoming.sender.language or detector is None:
            return incoming
        guessed = detector.detect(question)
        if guessed is None or guessed not in self._deps.config.languages:
            return incoming
        return replace(incoming, sender=replace(incoming.sender, language=guessed))

    def _record_inquiry(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        question: str,
        matches: Sequence[ArticleMatch],
        outcome: Outcome | None = None,
    ) -> Inquiry:
        inquiry = Inquiry(
            requester=incoming.sender,
            reply_to=incoming.reply_to,
            question=question,
            language=self._deps.language_of(incoming.sender),
            site=incoming.site,
            suggested_ids=tuple(match.article_id for match in matches),
            created_at=self._deps.clock.now(),
            outcome=outcome or (Outcome.PENDING if matches else Outcome.NO_MATCH),
        )
        uow.inquiries.add(inquiry)
        return inquiry

    def _log_request(
        self, uow: UnitOfWork, inquiry: Inquiry, feedback: Outcome, *, group: bool = True
    ) -> SupportRequest:
        now = self._deps.clock.now()
        request = SupportRequest(
            requester=inquiry.requester,
            reply_to=inquiry.reply_to,
            question=inquiry.question,
            language=inquiry.language,
            site=inquiry.site,
            level=Level.L1,
            status=Status.OPEN,
            created_at=now,
            updated_at=now,
            deadlines=self._deps.sla.deadlines(Level.L1, inquiry.site, now),
            suggested_ids=inquiry.suggested_ids,
            feedback=feedback,
        )
        uow.requests.add(request)
        inquiry.outcome = feedback
        inquiry.request_ref = request.ref
        uow.inquiries.save(inquiry)
        self._deps.history(uow, request, inquiry.requester.identity, Action.LOGGED, feedback.value)
        view = ping_view(self._deps, request, "ping.new")
        uow.publish(StaffPing(level=Level.L1, view=view, site=request.site))
        if group:
            self._incidents.group(uow, request)
        return request

    def _logged_reply(self, request: SupportRequest, key: str) -> TextReply:
        say, language = self._deps.catalogue.text, request.language
        expectation = say(
            "request.expectation", language, due=self._deps.due_text(request, language)
        )
        return TextReply(say(key, language, ref=request.ref, expectation=expectation))

    def _choice(self, match: ArticleMatch, language: str) -> ArticleChoice:
        """One suggestion; a translation comes with its original, labelled in `language`."""
        label = None
        if match.original_id is not None:
            code = match.original_language or ""
            name = self._deps.language_name(code, language) or code
            label = self._deps.catalogue.text("suggestions.original", language, language=name)
        return ArticleChoice(
            match.article_id,
            match.title,
            match.excerpt,
            match.url,
            match.language,
            match.body,
            original_id=match.original_id,
            original_title=match.original_title,
            original_url=match.original_url,
            original_language=match.original_language,
            original_label=label,
        )

    def _suggestions(
        self, inquiry: Inquiry, matches: Sequence[ArticleMatch], language: str
    ) -> SuggestionsReply:
        say = self._deps.catalogue.text
        assert inquiry.id is not None, "the register assigns an id when the inquiry is added"
        return SuggestionsReply(
            inquiry_id=inquiry.id,
            intro=say("suggestions.intro", language),
            articles=tuple(self._choice(m, language) for m in matches),
            solved_label=say("suggestions.solved", language),
            none_label=say("suggestions.none", language),
        )
