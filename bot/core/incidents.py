"""Incidents: open requests that describe the same problem, grouped under one L3 incident.

A logged request joins the open incident it resembles, or, with enough alike open requests in
the window, opens a new one. A question that matches an open incident is answered "known issue"
and linked to it instead of logged. Staff actions on incidents live in bot/core/incident_desk.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.core.context import DeskDeps
from bot.core.model import (
    Action,
    Incident,
    IncidentReport,
    Inquiry,
    Level,
    Status,
    SupportRequest,
)
from bot.core.outgoing import (
    KnownIssueReply,
    PingRefresh,
    PingView,
    RequesterNotice,
    StaffAction,
    StaffPing,
)
from bot.core.ports import UnitOfWork
from bot.core.sla import pause_clock
from bot.core.views import summarise

INCIDENT_PREFIX = "INC"


def is_incident_ref(ref: str) -> bool:
    return ref.strip().upper().startswith(f"{INCIDENT_PREFIX}-")


def ping_status(incident: Incident) -> Status:
    """The request status a ping shows for an incident (pings speak the requests' statuses)."""
    if not incident.is_open:
        return Status.RESOLVED
    return Status.CLAIMED if incident.claimed_by is not None else Status.OPEN


def incident_view(
    deps: DeskDeps, incident: Incident, reports: Sequence[IncidentReport], title_key: str
) -> PingView:
    """The L3 ping: the masked problem, how many reported it, where and when. No names or chat
    ids: L3 pings carry no personal data (as in bot/core/views.py)."""
    lang, say = deps.config.staff_language, deps.catalogue.text
    fmt = deps.catalogue.format_time

    def field(key: str, value: str) -> str:
        return f"{say(key, lang)}: {value}"

    status = ping_status(incident)
    shown = say(f"ping.status.{status.value}", lang)
    if incident.claimed_by is not None and incident.is_open:
        shown += f" ({incident.claimed_by.display_name})"
    requests = sum(1 for report in reports if report.request_ref is not None)
    counts = say(
        "incident.value.reports", lang, requests=requests, questions=len(reports) - requests
    )
    sites = sorted({report.site for report in reports if report.site})
    lines = [
        field("ping.field.level", Level.L3.value),
        field("ping.field.status", shown),
        field("incident.field.reports", counts),
        field("incident.field.sites", ", ".join(sites) or say("ping.value.none", lang)),
    ]
    if reports:
        lines.append(field("incident.field.first_seen", fmt(reports[0].at, lang, None)))
        lines.append(field("incident.field.last_seen", fmt(reports[-1].at, lang, None)))
    lines.append(field("incident.field.summary", summarise(incident.summary, 300)))
    verbs = ("claim", "reply", "resolve") if status is Status.OPEN else ("reply", "resolve")
    actions = tuple(
        StaffAction(verb=verb, ref=incident.ref, label=say(f"action.{verb}", lang))
        for verb in (verbs if incident.is_open else ())
    )
    title = say(title_key, lang, ref=incident.ref, count=len(reports))
    return PingView(incident.ref, Level.L3, status, title, tuple(lines), actions)


def refresh_incident_ping(deps: DeskDeps, uow: UnitOfWork, incident: Incident) -> None:
    reports = uow.incidents.reports(incident.ref)
    uow.publish(PingRefresh(incident_view(deps, incident, reports, "incident.ping.updated")))


class Incidents:
    """Grouping of requests and "known issue" answers; inert without a similarity port."""

    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps

    def _alike(self, a: str, b: str, language: str) -> bool:
        similarity = self._deps.similarity
        if similarity is None:
            return False
        score = similarity.similarity(a, b, language=language)
        return score >= self._deps.config.incident_threshold

    def matching(self, uow: UnitOfWork, question: str, language: str) -> Incident | None:
        """The open incident this (masked) question describes, if any; the oldest wins. It is
        returned locked and still open: a resolve at the same instant either finishes first
        (and the question is not linked to a closed incident) or waits for this link and
        tells this asker too."""
        if self._deps.similarity is None:
            return None
        for candidate in uow.incidents.list_open():
            if self._alike(question, candidate.summary, language):
                incident = uow.incidents.get(candidate.ref)
                if incident is not None and incident.is_open:
                    return incident
        return None

    def known_issue(self, uow: UnitOfWork, inquiry: Inquiry, incident: Incident) -> KnownIssueReply:
        """Link the inquiry to the incident, refresh its ping, and tell the requester."""
        assert inquiry.id is not None, "the register assigns an id when the inquiry is added"
        uow.incidents.link_inquiry(incident.ref, inquiry.id)
        reports = uow.incidents.reports(incident.ref)
        uow.publish(
            PingRefresh(incident_view(self._deps, incident, reports, "incident.ping.updated"))
        )
        say, lang = self._deps.catalogue.text, inquiry.language
        since = reports[0].at if reports else inquiry.created_at
        status = "claimed" if incident.claimed_by is not None else "open"
        text = say(
            "known_issue.reply",
            lang,
            ref=incident.ref,
            count=len(reports),
            since=self._deps.catalogue.format_time(since, lang, inquiry.site),
            status=say(f"known_issue.status.{status}", lang),
        )
        return KnownIssueReply(inquiry.id, incident.ref, text, say("known_issue.different", lang))

    def group(self, uow: UnitOfWork, request: SupportRequest) -> Incident | None:
        """After a request is logged: link it to the open incident it describes, or open one
        when enough alike open requests are waiting. The incident, or None."""
        if self._deps.similarity is None:
            return None
        incident = self.matching(uow, request.question, request.language)
        if incident is not None:
            self._link(uow, incident, [request])
            refresh_incident_ping(self._deps, uow, incident)
            return incident
        since = self._deps.clock.now() - timedelta(days=self._deps.config.incident_window_days)
        alike = [
            other
            for other in uow.incidents.unlinked_open_requests(since)
            if other.ref != request.ref
            and self._alike(request.question, other.question, request.language)
        ]
        if len(alike) + 1 < self._deps.config.incident_min_requests:
            return None
        still = set(uow.incidents.lock_unlinked([other.ref for other in alike]))
        alike = [other for other in alike if other.ref in still]
        if len(alike) + 1 < self._deps.config.incident_min_requests:
            return None  # grouped by someone else meanwhile
        return self._open(uow, sorted([*alike, request], key=lambda r: r.created_at))

    def _open(self, uow: UnitOfWork, requests: list[SupportRequest]) -> Incident:
        now = self._deps.clock.now()
        sites = {request.site for request in requests}
        incident = Incident(
            summary=requests[0].question,  # the first report: masked, as every question
            created_at=now,
            updated_at=now,
            site=sites.pop() if len(sites) == 1 else None,
        )
        uow.incidents.add(incident)
        self._link(uow, incident, requests)
        reports = uow.incidents.reports(incident.ref)
        view = incident_view(self._deps, incident, reports, "incident.ping.new")
        uow.publish(StaffPing(level=Level.L3, view=view, site=incident.site))
        return incident

    def _tell_linked(self, uow: UnitOfWork, request: SupportRequest, incident: Incident) -> None:
        """The requester learns why the expected answer time no longer applies: the problem
        is the developers' now, and the fix will be announced."""
        text = self._deps.catalogue.text(
            "notice.incident_linked", request.language, ref=request.ref, incident=incident.ref
        )
        uow.publish(RequesterNotice(ref=request.ref, to=request.reply_to, text=text))

    def _link(
        self, uow: UnitOfWork, incident: Incident, requests: Sequence[SupportRequest]
    ) -> None:
        """Each request joins the incident, and its SLA clock stops: the incident is worked on
        at L3, so the sweeper must not remind or escalate its requests one by one."""
        now = self._deps.clock.now()
        for found in requests:
            request = uow.requests.get(found.ref) or found  # locked and as it is now
            uow.incidents.link_request(incident.ref, request.ref)
            pause_clock(request, now)
            request.updated_at = now
            uow.requests.save(request)
            self._deps.history(uow, request, "bot", Action.INCIDENT_LINKED, incident.ref)
            self._tell_linked(uow, request, incident)
        incident.updated_at = self._deps.clock.now()
        uow.incidents.save(incident)
