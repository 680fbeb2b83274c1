"""The support desk facade that every adapter talks to: one object, both sides of the workflow."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.context import DeskDeps, answer_safely
from bot.core.incident_desk import IncidentDesk
from bot.core.incidents import is_incident_ref
from bot.core.incoming import Incoming
from bot.core.model import PostedMessage
from bot.core.outgoing import Reply
from bot.core.people import PeopleDesk
from bot.core.requester import RequesterDesk
from bot.core.staff import StaffDesk


class SupportDesk:
    """Entry points for adapters. Each call is one transaction and never raises: an unexpected
    failure is logged with its traceback and answered with an apology.

    Every call first applies the person's saved choices (language, site) to the event."""

    def __init__(self, deps: DeskDeps) -> None:
        self.deps = deps
        self._requester = RequesterDesk(deps)
        self._staff = StaffDesk(deps)
        self._people = PeopleDesk(deps)
        self._incidents = IncidentDesk(deps)

    def _handle(
        self, incoming: Incoming, handler: Callable[[Incoming], list[Reply]]
    ) -> list[Reply]:
        return answer_safely(
            self.deps, incoming, lambda: handler(self._people.personalise(incoming))
        )

    def ask(self, incoming: Incoming, text: str) -> list[Reply]:
        return self._handle(incoming, lambda i: self._requester.ask(i, text))

    def give_feedback(
        self, incoming: Incoming, inquiry_id: int, article_id: str | None
    ) -> list[Reply]:
        return self._handle(
            incoming, lambda i: self._requester.give_feedback(i, inquiry_id, article_id)
        )

    def status(self, incoming: Incoming) -> list[Reply]:
        return self._handle(incoming, self._requester.status)

    def answer_staff(self, incoming: Incoming, ref: str, text: str) -> list[Reply]:
        return self._handle(incoming, lambda i: self._requester.answer_staff(i, ref, text))

    # Incident refs (INC-3) go to the incident side, so every adapter's buttons, modals and
    # thread replies work on incidents unchanged.
    def claim(self, incoming: Incoming, ref: str) -> list[Reply]:
        desk = self._incidents if is_incident_ref(ref) else self._staff
        return self._handle(incoming, lambda i: desk.claim(i, ref))

    def reply(self, incoming: Incoming, ref: str, text: str) -> list[Reply]:
        desk = self._incidents if is_incident_ref(ref) else self._staff
        return self._handle(incoming, lambda i: desk.reply(i, ref, text))

    def resolve(self, incoming: Incoming, ref: str, note: str = "") -> list[Reply]:
        desk = self._incidents if is_incident_ref(ref) else self._staff
        return self._handle(incoming, lambda i: desk.resolve(i, ref, note))

    def escalate(self, incoming: Incoming, ref: str, reason: str = "") -> list[Reply]:
        desk = self._incidents if is_incident_ref(ref) else self._staff
        return self._handle(incoming, lambda i: desk.escalate(i, ref, reason))

    def set_language(self, incoming: Incoming, language: str) -> list[Reply]:
        return self._handle(incoming, lambda i: self._people.set_language(i, language))

    def set_site(self, incoming: Incoming, site: str) -> list[Reply]:
        return self._handle(incoming, lambda i: self._people.set_site(i, site))

    def preferences(self, incoming: Incoming) -> Incoming:
        """The event as the desk sees it: with the person's chosen language and site."""
        return self._people.personalise(incoming)

    def posted_message(self, platform: str, chat_id: str, message_id: str) -> PostedMessage | None:
        """The request message (ping or notice) that a platform message is, if it is one."""
        with self.deps.unit_of_work(read_only=True) as uow:
            return uow.posted.find(platform, chat_id, message_id)

    def suggested_ids(self, inquiry_id: int) -> tuple[str, ...]:
        """The articles suggested for an inquiry, in the order shown (empty if unknown), for
        platforms whose buttons can only carry a position (Telegram: 64-byte callback data)."""
        with self.deps.unit_of_work(read_only=True) as uow:
            inquiry = uow.inquiries.get(inquiry_id)
            return inquiry.suggested_ids if inquiry is not None else ()

    def answer_posted(self, incoming: Incoming, posted: PostedMessage, text: str) -> list[Reply]:
        """A reply to a message about a request: under a ping it is staff answering the
        requester; under a notice it is the requester answering the staff."""
        if posted.kind == "ping":
            return self.reply(incoming, posted.ref, text)
        return self.answer_staff(incoming, posted.ref, text)
