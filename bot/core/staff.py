"""The support staff's side: claim, reply, resolve and escalate requests of their level."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.context import DeskDeps, run_in_transaction
from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Action, Status, SupportRequest
from bot.core.outgoing import PingRefresh, Reply, RequesterNotice, StaffPing
from bot.core.ports import UnitOfWork
from bot.core.requester import clean_text
from bot.core.sla import pause_clock
from bot.core.views import answers_of, as_sentence, ping_view

StaffStep = Callable[[UnitOfWork, SupportRequest], list[Reply]]


class StaffDesk:
    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps

    def claim(self, incoming: Incoming, ref: str) -> list[Reply]:
        def step(uow: UnitOfWork, request: SupportRequest) -> list[Reply]:
            actor = incoming.sender
            if request.claimed_by is not None:
                if request.claimed_by.identity == actor.identity:
                    raise ActionRefused("refused.already_yours", ref=request.ref)
                raise ActionRefused(
                    "refused.claimed_by_other",
                    ref=request.ref,
                    name=request.claimed_by.display_name,
                )
            request.claimed_by = actor
            request.status = Status.CLAIMED
            self._record(uow, request, incoming, Action.CLAIMED)
            self._tell_requester(uow, request, "notice.claimed", name=actor.display_name)
            return [self._deps.say(incoming, "staff.claimed", ref=request.ref)]

        return self._act(incoming, ref, step)

    def reply(self, incoming: Incoming, ref: str, text: str) -> list[Reply]:
        """Relay a staff answer to the requester; the request then waits for them."""
        # Not masked by the case-data guard: staff know the safeguarding rules, and an answer
        # may have to quote a number or a form field exactly ("set 2.0469 in the GPS field").
        answer = clean_text(text)

        def step(uow: UnitOfWork, request: SupportRequest) -> list[Reply]:
            if not answer:
                raise ActionRefused("refused.empty_reply", ref=request.ref)
            if request.claimed_by is None:
                request.claimed_by = incoming.sender
            request.status = Status.WAITING
            pause_clock(request, self._deps.clock.now())
            self._record(uow, request, incoming, Action.REPLIED, answer)
            name = incoming.sender.display_name
            self._tell_requester(uow, request, "notice.reply", name=name, text=answer)
            return [self._deps.say(incoming, "staff.replied", ref=request.ref)]

        return self._act(incoming, ref, step)

    def resolve(self, incoming: Incoming, ref: str, note: str = "") -> list[Reply]:
        note = clean_text(note)

        def step(uow: UnitOfWork, request: SupportRequest) -> list[Reply]:
            request.status = Status.RESOLVED
            request.resolved_at = self._deps.clock.now()
            request.resolution_note = note or None
            if request.claimed_by is None:
                request.claimed_by = incoming.sender
            self._record(uow, request, incoming, Action.RESOLVED, note)
            say, lang = self._deps.catalogue.text, request.language
            parts = [say("notice.resolved_note", lang, note=as_sentence(note))] if note else []
            parts.append(say("notice.resolved_again", lang, ref=request.ref))
            self._tell_requester(uow, request, "notice.resolved", note=" ".join(parts))
            return [self._deps.say(incoming, "staff.resolved", ref=request.ref)]

        return self._act(incoming, ref, step)

    def escalate(self, incoming: Incoming, ref: str, reason: str = "") -> list[Reply]:
        """Hand the request to the next level: unclaimed there, with new due times, pinged."""
        reason = clean_text(reason)

        def step(uow: UnitOfWork, request: SupportRequest) -> list[Reply]:
            target = request.level.next()
            if target is None:
                raise ActionRefused("refused.top_level", ref=request.ref, level=request.level.value)
            now = self._deps.clock.now()
            request.level, request.status, request.claimed_by = target, Status.OPEN, None
            request.deadlines = self._deps.sla.deadlines(target, request.site, now)
            self._record(uow, request, incoming, Action.ESCALATED, reason, refresh=False)
            # The new level's clock starts now: its first response is still to come.
            request.level_entered_at, request.first_response_at, request.paused_at = now, None, None
            uow.requests.save(request)
            view = ping_view(self._deps, request, "ping.escalated", answers_of(uow, request.ref))
            uow.publish(PingRefresh(view))
            uow.publish(StaffPing(level=target, view=view, site=request.site))
            lang = request.language
            self._tell_requester(
                uow,
                request,
                "notice.escalated",
                level_name=self._deps.level_name(target, lang),
                due=self._deps.due_text(request, lang),
            )
            return [
                self._deps.say(incoming, "staff.escalated", ref=request.ref, level=target.value)
            ]

        return self._act(incoming, ref, step)

    def _act(self, incoming: Incoming, ref: str, step: StaffStep) -> list[Reply]:
        """Common checks of every staff action: the request exists, is open, and the actor is
        staff of its level. A refused attempt by someone not allowed is recorded."""
        ref = clean_text(ref).upper()  # echoed in refusals: no hidden characters
        refused_entry: list[SupportRequest] = []

        def work(uow: UnitOfWork) -> list[Reply]:
            request = uow.requests.get(ref)
            if request is None:
                raise ActionRefused("refused.unknown_ref", ref=ref or "?")
            if not self._deps.staff.may_act(incoming.sender, request.level):
                refused_entry.append(request)
                raise ActionRefused("refused.not_allowed", ref=ref, level=request.level.value)
            if request.status is Status.RESOLVED:
                raise ActionRefused("refused.already_resolved", ref=ref)
            return step(uow, request)

        replies = run_in_transaction(self._deps, incoming, work)
        if refused_entry:
            self._record_refusal(incoming, refused_entry[0])
        return replies

    def _record_refusal(self, incoming: Incoming, request: SupportRequest) -> None:
        # Its own transaction: the refused action rolled back, the audit line must stay.
        with self._deps.unit_of_work() as uow:
            self._deps.history(
                uow, request, incoming.sender.identity, Action.REFUSED, "not allowed"
            )
            uow.commit()

    def _record(
        self,
        uow: UnitOfWork,
        request: SupportRequest,
        incoming: Incoming,
        action: Action,
        detail: str = "",
        *,
        refresh: bool = True,
    ) -> None:
        now = self._deps.clock.now()
        request.updated_at = now
        if request.first_response_at is None:
            request.first_response_at = now
        uow.requests.save(request)
        self._deps.history(uow, request, incoming.sender.identity, action, detail)
        if refresh:
            answers = answers_of(uow, request.ref)
            uow.publish(PingRefresh(ping_view(self._deps, request, "ping.updated", answers)))

    def _tell_requester(
        self, uow: UnitOfWork, request: SupportRequest, key: str, /, **params: object
    ) -> None:
        text = self._deps.catalogue.text(key, request.language, ref=request.ref, **params)
        uow.publish(RequesterNotice(ref=request.ref, to=request.reply_to, text=text))
