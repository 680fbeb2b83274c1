"""The terminal chat loop: reads lines, turns them into core calls, prints what comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from bot.console.render import ConsoleNotifier, render_reply
from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address, Person
from bot.core.outgoing import KnownIssueReply, Reply, SuggestionsReply

PERSONAS = {
    "user": Person("console", "field-user", "Field user"),
    "l1": Person("console", "l1", "Site admin (L1)"),
    "l2": Person("console", "l2", "Coordinator (L2)"),
    "l3": Person("console", "l3", "Developer (L3)"),
}

Handler = Callable[[Incoming, str], list[Reply]]


@dataclass
class ConsoleChat:
    desk: SupportDesk
    notifier: ConsoleNotifier
    out: TextIO
    language: str | None = None
    persona: str = "user"
    pending: dict[str, SuggestionsReply] = field(default_factory=dict)
    known: dict[str, KnownIssueReply] = field(default_factory=dict)  # "0": my problem differs

    def run(self, lines: Iterator[str]) -> None:
        self._print(self._say("console.help"))
        self._print(self._say("console.persona", persona=PERSONAS[self.persona].display_name))
        for line in lines:
            if not self.handle(line):
                break
        self._print(self._say("console.goodbye"))

    def handle(self, line: str) -> bool:
        """Handle one typed line; False when the user asked to leave."""
        text = line.strip()
        if not text:
            return True
        if text in ("/quit", "/exit"):
            return False
        if text.startswith("/"):
            self._command(text)
        elif text == "0" and self.persona in self.known:
            inquiry_id = self.known.pop(self.persona).inquiry_id
            self._show(self.desk.give_feedback(self._incoming(), inquiry_id, None))
        elif self._is_feedback(text):
            self._feedback(text)
        else:
            self._show(self.desk.ask(self._incoming(), text))
        return True

    def _command(self, text: str) -> None:
        verb, _, rest = text[1:].partition(" ")
        ref, _, words = rest.strip().partition(" ")
        commands: dict[str, Callable[[], list[Reply]]] = {
            "status": lambda: self.desk.status(self._incoming()),
            "claim": lambda: self.desk.claim(self._incoming(), ref),
            "reply": lambda: self.desk.reply(self._incoming(), ref, words),
            "resolve": lambda: self.desk.resolve(self._incoming(), ref, words),
            "escalate": lambda: self.desk.escalate(self._incoming(), ref, words),
            "answer": lambda: self.desk.answer_staff(self._incoming(), ref, words),
        }
        if verb == "help":
            self._print(self._say("console.help"))
        elif verb == "as":
            self._switch(rest.strip().lower())
        elif verb == "language":
            self._choose_language(rest.strip())
        elif verb in commands:
            if verb != "status" and not ref:
                self._print("bot> " + self._say("console.need_reference", command=verb))
                return
            self._show(commands[verb]())
        else:
            self._print("bot> " + self._say("console.unknown_command", command=verb))

    def _choose_language(self, code: str) -> None:
        if not code:
            self._print("bot> " + self._say("console.choose_language"))
            return
        self._show(self.desk.set_language(self._incoming(), code))

    def _switch(self, name: str) -> None:
        if name not in PERSONAS:
            self._print("bot> " + self._say("console.choose_persona"))
            return
        self.persona = name
        self._print(self._say("console.persona", persona=PERSONAS[name].display_name))

    def _is_feedback(self, text: str) -> bool:
        pending = self.pending.get(self.persona)
        if pending is None:
            return False
        words = text.lower().split()
        is_number = len(words) == 1 and words[0].isdigit()
        is_read = len(words) == 2 and words[0] == "read" and words[1].isdigit()
        return is_number or is_read

    def _feedback(self, text: str) -> None:
        pending = self.pending[self.persona]
        words = text.lower().split()
        number = int(words[-1])
        if not 0 <= number <= len(pending.articles) or (words[0] == "read" and number == 0):
            self._print("bot> " + self._say("console.pick_number", count=len(pending.articles)))
            return
        if words[0] == "read":
            article = pending.articles[number - 1]
            self._print(f"--- {article.title} ---\n{article.body or article.excerpt}\n---")
            return
        del self.pending[self.persona]
        article_id = pending.articles[number - 1].article_id if number else None
        self._show(self.desk.give_feedback(self._incoming(), pending.inquiry_id, article_id))

    def _incoming(self) -> Incoming:
        person = PERSONAS[self.persona]
        if self.language and self.persona == "user":
            person = Person(person.platform, person.user_id, person.display_name, self.language)
        return Incoming(sender=person, reply_to=Address("console", person.user_id))

    def _show(self, replies: list[Reply]) -> None:
        for reply in replies:
            if isinstance(reply, SuggestionsReply):
                self.pending[self.persona] = reply
                self.known.pop(self.persona, None)
            elif isinstance(reply, KnownIssueReply):
                self.known[self.persona] = reply
                self.pending.pop(self.persona, None)
            for line in render_reply(reply, self._say):
                self._print(line)
        self.notifier.flush()

    def _say(self, key: str, /, **params: object) -> str:
        """The chat's own words in the language the desk answers the current persona in (it
        follows /language, which the desk saves)."""
        person = self.desk.preferences(self._incoming()).sender
        language = self.desk.deps.language_of(person)
        return self.desk.deps.catalogue.text(key, language, **params)

    def prompt(self) -> str:
        return "you> " if self.persona == "user" else f"{self.persona.upper()}> "

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
