"""How a request looks to staff (ping views) and to its requester (status lines)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.context import DeskDeps
from bot.core.model import Action, Level, Status, SupportRequest
from bot.core.outgoing import PingView, StaffAction
from bot.core.ports import UnitOfWork
from bot.core.reproduction import extract

SUMMARY_CHARS = 80


SENTENCE_ENDS = tuple(".!?…。؟)\"'»")


def as_sentence(note: str) -> str:
    """A staff member's note ends a sentence in a notice that goes on after it: "Fixed in
    2.11.3. If it happens again…", not "Fixed in 2.11.3 If it happens again…"."""
    return note if not note or note.endswith(SENTENCE_ENDS) else note + "."


def summarise(question: str, limit: int = SUMMARY_CHARS) -> str:
    """The first words of a question, cut at a word boundary."""
    flat = " ".join(question.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def available_actions(request: SupportRequest) -> tuple[str, ...]:
    if request.status is Status.RESOLVED:
        return ()
    verbs = ["reply", "resolve"]
    if request.status is Status.OPEN:
        verbs.insert(0, "claim")
    if request.level.next() is not None:
        verbs.append("escalate")
    return tuple(verbs)


def ping_view(
    deps: DeskDeps, request: SupportRequest, title_key: str, answers: Sequence[str] = ()
) -> PingView:
    """The staff view of a request. L3 pings leave out who asked: developers need a clean
    reproduction, not the requester's identity; `answers` are the requester's later answers."""
    lang = deps.config.staff_language
    say = deps.catalogue.text

    def field(key: str, value: str) -> str:
        return f"{say(f'ping.field.{key}', lang)}: {value}"

    status = say(f"ping.status.{request.status.value}", lang)
    if request.claimed_by is not None and request.status is not Status.RESOLVED:
        status += f" ({request.claimed_by.display_name})"
    lines = [field("level", request.level.value), field("status", status)]
    if request.level is not Level.L3:
        lines.append(
            field("requester", f"{request.requester.display_name} ({request.requester.platform})")
        )
    lines.append(field("site", request.site or say("ping.value.none", lang)))
    lines.append(field("language", deps.language_label(request.language, lang)))
    if request.deadlines is not None and request.status is not Status.RESOLVED:
        fmt = deps.catalogue.format_time
        lines.append(field("first_due", fmt(request.deadlines.first_response, lang, request.site)))
        lines.append(field("resolution_due", fmt(request.deadlines.resolution, lang, request.site)))
    sla = deps.sla_text(request, lang)
    if sla is not None:
        lines.append(field("sla", sla))
    tried = ", ".join(request.suggested_ids) or say("ping.value.none", lang)
    lines.append(field("suggested", tried))
    if request.level is Level.L3:
        lines.extend(reproduction_lines(deps, request, answers))
    lines.append(field("question", summarise(request.question, 300)))
    actions = tuple(
        StaffAction(verb=verb, ref=request.ref, label=say(f"action.{verb}", lang))
        for verb in available_actions(request)
    )
    return PingView(
        ref=request.ref,
        level=request.level,
        status=request.status,
        title=say(title_key, lang, ref=request.ref, level=request.level.value),
        lines=tuple(lines),
        actions=actions,
    )


def reproduction_lines(
    deps: DeskDeps, request: SupportRequest, answers: Sequence[str]
) -> list[str]:
    """Version, module, role, web or offline, browser/device: what a developer needs first."""
    lang = deps.config.staff_language
    say = deps.catalogue.text
    found = extract(request.question, answers)
    mode = say(f"ping.value.{found.mode}", lang) if found.mode else None
    values = {
        "version": found.version,
        "module": found.module,
        "role": found.role,
        "mode": mode,
        "device": found.device,
    }
    unknown = say("ping.value.not_stated", lang)
    return [
        f"{say(f'ping.field.{key}', lang)}: {value or unknown}" for key, value in values.items()
    ]


def status_line(deps: DeskDeps, request: SupportRequest, language: str) -> str:
    say = deps.catalogue.text
    name = request.claimed_by.display_name if request.claimed_by else ""
    status = say(f"status.value.{request.status.value}", language, name=name)
    return say(
        "status.line",
        language,
        ref=request.ref,
        level=request.level.value,
        status=status,
        summary=summarise(request.question),
        due=deps.due_text(request, language),
    )


def answers_of(uow: UnitOfWork, ref: str) -> list[str]:
    """The requester's later answers (already masked): details for the L3 reproduction."""
    return [e.detail for e in uow.requests.history(ref) if e.action is Action.REQUESTER_ANSWERED]
