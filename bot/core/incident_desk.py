"""Staff actions on incidents (claim, reply, resolve): only L3 staff act, and everyone who
reported the problem hears of it in their own language, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.context import DeskDeps, run_in_transaction
from bot.core.incidents import refresh_incident_ping
from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Action, Incident, IncidentReport, IncidentStatus, Level, Status
from bot.core.outgoing import PingRefresh, Reply, RequesterNotice
from bot.core.ports import UnitOfWork
from bot.core.requester import clean_text
from bot.core.views import answers_of, as_sentence, ping_view

IncidentStep = Callable[[UnitOfWork, Incident], list[Reply]]


class IncidentDesk:
    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps

    def claim(self, incoming: Incoming, ref: str) -> list[Reply]:
        def step(uow: UnitOfWork, incident: Incident) -> list[Reply]:
            claimer = incident.claimed_by
            if claimer is not None:
                if claimer.identity == incoming.sender.identity:
                    raise ActionRefused("refused.already_yours", ref=incident.ref)
                raise ActionRefused(
                    "refused.claimed_by_other", ref=incident.ref, name=claimer.display_name
                )
            incident.claimed_by = incoming.sender
            self._save(uow, incident)
            return [self._deps.say(incoming, "staff.incident_claimed", ref=incident.ref)]

        return self._act(incoming, ref, step)

    def reply(self, incoming: Incoming, ref: str, text: str) -> list[Reply]:
        """An update from the developers, relayed to everyone who reported the problem."""
        answer = clean_text(text)

        def step(uow: UnitOfWork, incident: Incident) -> list[Reply]:
            if not answer:
                raise ActionRefused("refused.empty_reply", ref=incident.ref)
            if incident.claimed_by is None:
                incident.claimed_by = incoming.sender
            self._save(uow, incident)
            told = self._tell_reporters(
                uow,
                incident,
                lambda lang, _ref: self._deps.catalogue.text(
                    "notice.incident_update",
                    lang,
                    ref=incident.ref,
                    name=incoming.sender.display_name,
                    text=answer,
                ),
                incoming.sender.identity,
                Action.REPLIED,
                answer,
            )
            return [
                self._deps.say(incoming, "staff.incident_replied", ref=incident.ref, count=told)
            ]

        return self._act(incoming, ref, step)

    def resolve(self, incoming: Incoming, ref: str, note: str = "") -> list[Reply]:
        """The incident and every linked open request are resolved; every reporter is told."""
        note = clean_text(note)

        def step(uow: UnitOfWork, incident: Incident) -> list[Reply]:
            now = self._deps.clock.now()
            incident.status, incident.resolved_at = IncidentStatus.RESOLVED, now
            incident.resolved_by, incident.resolution_note = incoming.sender.identity, note or None
            if incident.claimed_by is None:
                incident.claimed_by = incoming.sender
            self._save(uow, incident)
            told = self._tell_reporters(
                uow,
                incident,
                lambda lang, shown_ref: self._resolved_text(lang, shown_ref, note),
                incoming.sender.identity,
                Action.RESOLVED,
                f"resolved with {incident.ref}" + (f": {note}" if note else ""),
                resolve=True,
            )
            return [
                self._deps.say(incoming, "staff.incident_resolved", ref=incident.ref, count=told)
            ]

        return self._act(incoming, ref, step)

    def escalate(self, incoming: Incoming, ref: str, reason: str = "") -> list[Reply]:
        def step(uow: UnitOfWork, incident: Incident) -> list[Reply]:
            raise ActionRefused("refused.incident_top_level", ref=incident.ref)

        return self._act(incoming, ref, step)

    def _resolved_text(self, language: str, ref: str, note: str) -> str:
        say = self._deps.catalogue.text
        parts = [say("notice.resolved_note", language, note=as_sentence(note))] if note else []
        parts.append(say("notice.incident_again", language))
        return say("notice.incident_resolved", language, ref=ref, note=" ".join(parts))

    def _act(self, incoming: Incoming, ref: str, step: IncidentStep) -> list[Reply]:
        """The incident exists and is open, and the actor may act at L3."""
        ref = clean_text(ref).upper()  # echoed in refusals: no hidden characters

        def work(uow: UnitOfWork) -> list[Reply]:
            incident = uow.incidents.get(ref)  # locked: two resolves serialise
            if incident is None:
                raise ActionRefused("refused.unknown_incident", ref=ref or "?")
            if not self._deps.staff.may_act(incoming.sender, Level.L3):
                raise ActionRefused("refused.not_allowed", ref=ref, level=Level.L3.value)
            if not incident.is_open:
                raise ActionRefused("refused.incident_resolved", ref=ref)
            return step(uow, incident)

        return run_in_transaction(self._deps, incoming, work)

    def _save(self, uow: UnitOfWork, incident: Incident) -> None:
        incident.updated_at = self._deps.clock.now()
        uow.incidents.save(incident)
        refresh_incident_ping(self._deps, uow, incident)

    def _tell_reporters(
        self,
        uow: UnitOfWork,
        incident: Incident,
        text: Callable[[str, str], str],
        actor: str,
        action: Action,
        detail: str,
        *,
        resolve: bool = False,
    ) -> int:
        """A notice to each reporter whose report is still open (text(language, their ref));
        their linked requests get the history line, and are resolved with `resolve`."""
        told = 0
        for report in uow.incidents.reports(incident.ref):
            if report.request_ref is not None and not self._touch_request(
                uow, report, actor, action, detail, resolve=resolve
            ):
                continue  # resolved on its own earlier: its requester was told then
            shown = report.request_ref or incident.ref
            notice_text = text(report.language, shown)
            uow.publish(RequesterNotice(ref=shown, to=report.reply_to, text=notice_text))
            told += 1
        return told

    def _touch_request(
        self,
        uow: UnitOfWork,
        report: IncidentReport,
        actor: str,
        action: Action,
        detail: str,
        *,
        resolve: bool,
    ) -> bool:
        """History (and with `resolve` the resolution) on a linked request; False when it was
        resolved already."""
        request = uow.requests.get(report.request_ref or "")
        if request is None or not request.is_open:
            return False
        now = self._deps.clock.now()
        request.updated_at = now
        if request.first_response_at is None:
            request.first_response_at = now
        if resolve:
            request.status, request.resolved_at = Status.RESOLVED, now
            request.resolution_note = detail
        uow.requests.save(request)
        self._deps.history(uow, request, actor, action, detail)
        answers = answers_of(uow, request.ref)
        uow.publish(PingRefresh(ping_view(self._deps, request, "ping.updated", answers)))
        return True
