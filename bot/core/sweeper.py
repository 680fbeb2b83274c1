"""The SLA sweeper: a reminder when a due time nears, automatic escalation once it has passed,
and a "still working on it" note to the requester; each at most once per request, level and
target, however many processes sweep at the same time."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.context import DeskDeps
from bot.core.model import Action, Address, Level, SlaStanding, SlaState, Status, SupportRequest
from bot.core.outgoing import PingRefresh, RequesterNotice, StaffNotice, StaffPing
from bot.core.ports import UnitOfWork
from bot.core.views import answers_of, ping_view

log = logging.getLogger("supportbot.sla")
BOT = "bot"  # the actor of what the sweeper writes to the history


@dataclass(frozen=True)
class SweepPolicy:
    """Levels whose missed targets escalate the request to the next level on their own."""

    auto_escalate: frozenset[Level] = frozenset()


@dataclass
class SweepResult:
    checked: int = 0
    reminded: int = 0
    escalated: int = 0
    requesters_told: int = 0


def already_reminded(uow: UnitOfWork, request: SupportRequest, standing: SlaStanding) -> bool:
    """Whether this level's reminder for this target is in the request's history. The history
    is kept as long as the request, so a request left "due soon" for weeks is reminded once
    (event keys, used before, were forgotten after three days)."""
    return any(
        entry.action is Action.REMINDED
        and entry.level is request.level
        and entry.detail.split(" ", 1)[0] == standing.target
        for entry in uow.requests.history(request.ref)
    )


class SlaSweeper:
    """Checks requests one transaction each, with the request locked, so a concurrent sweep
    (another process) waits and then finds the action already recorded."""

    def __init__(self, deps: DeskDeps, policy: SweepPolicy) -> None:
        self._deps = deps
        self._policy = policy

    def sweep(self, refs: Iterable[str]) -> SweepResult:
        result = SweepResult()
        for ref in refs:
            try:
                self._check(ref, result)
            except Exception:  # one bad request must not stop the others' reminders
                log.exception("the SLA sweep failed on %s", ref)
            result.checked += 1
        return result

    def _check(self, ref: str, result: SweepResult) -> None:
        with self._deps.unit_of_work() as uow:
            request = uow.requests.get(ref)
            standing = self._standing(request)
            if request is None or standing is None:
                return
            # The request is locked: a concurrent sweep waits here, then finds the escalation
            # done (the level moved on) or the reminder in the history.
            if standing.state is SlaState.BREACHED and self._escalates(request):
                self._escalate(uow, request, standing)
                result.escalated += 1
            elif not already_reminded(uow, request, standing):
                self._remind(uow, request, standing)
                result.reminded += 1
                if standing.target == "resolution":
                    self._tell_still_working(uow, request)
                    result.requesters_told += 1
            uow.commit()
            published = list(uow.published)
        if published:
            self._deps.notifier.deliver(published)

    def _standing(self, request: SupportRequest | None) -> SlaStanding | None:
        """Where an open, running request stands when it needs something; None otherwise."""
        if request is None or request.status is Status.RESOLVED:
            return None
        standing = self._deps.sla.standing(request, self._deps.clock.now())
        if standing is None or standing.paused or standing.state is SlaState.ON_TRACK:
            return None
        return standing

    def _escalates(self, request: SupportRequest) -> bool:
        return request.level in self._policy.auto_escalate and request.level.next() is not None

    def _escalate(self, uow: UnitOfWork, request: SupportRequest, standing: SlaStanding) -> None:
        """What a person's escalation does, by the bot, with the missed target in the history."""
        previous, target = request.level, request.level.next()
        assert target is not None  # _escalates checked it
        now = self._deps.clock.now()
        request.level, request.status, request.claimed_by = target, Status.OPEN, None
        request.deadlines = self._deps.sla.deadlines(target, request.site, now)
        request.level_entered_at, request.first_response_at, request.paused_at = now, None, None
        request.updated_at = now
        uow.requests.save(request)
        detail = (
            f"{previous.value} {standing.target} target missed (due {standing.due.isoformat()})"
        )
        self._deps.history(uow, request, BOT, Action.ESCALATED, detail)
        view = ping_view(self._deps, request, "ping.auto_escalated", answers_of(uow, request.ref))
        uow.publish(PingRefresh(view))
        uow.publish(StaffPing(level=target, view=view, site=request.site))
        language = request.language
        text = self._deps.catalogue.text(
            "notice.escalated",
            language,
            ref=request.ref,
            level_name=self._deps.level_name(target, language),
            due=self._deps.due_text(request, language),
        )
        uow.publish(RequesterNotice(ref=request.ref, to=request.reply_to, text=text))

    def _remind(self, uow: UnitOfWork, request: SupportRequest, standing: SlaStanding) -> None:
        """A new ping at the level's destinations, every ping showing the SLA state, and a
        direct message to whoever claimed the request."""
        view = ping_view(self._deps, request, "ping.due_soon", answers_of(uow, request.ref))
        uow.publish(StaffPing(request.level, view, site=request.site))
        uow.publish(
            PingRefresh(
                ping_view(self._deps, request, "ping.updated", answers_of(uow, request.ref))
            )
        )
        detail = f"{standing.target} due {standing.due.isoformat()}"
        self._deps.history(uow, request, BOT, Action.REMINDED, detail)
        claimer = request.claimed_by
        if claimer is None:
            return
        language = self._deps.config.staff_language
        due = self._deps.catalogue.format_time(standing.due, language, request.site)
        text = self._deps.catalogue.text("staff.due_soon", language, ref=request.ref, due=due)
        to = Address(claimer.platform, claimer.user_id)
        uow.publish(StaffNotice(ref=request.ref, to=to, text=text))

    def _tell_still_working(self, uow: UnitOfWork, request: SupportRequest) -> None:
        language = request.language
        due = self._deps.due_text(request, language)
        text = self._deps.catalogue.text("notice.still_working", language, ref=request.ref, due=due)
        uow.publish(RequesterNotice(ref=request.ref, to=request.reply_to, text=text))
