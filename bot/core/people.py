"""People's explicit choices (language, site) and how they apply to each event."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.context import DeskDeps, run_in_transaction
from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Preferences
from bot.core.outgoing import Reply, TextReply
from bot.core.ports import UnitOfWork
from bot.core.requester import clean_text

# Every event starts with its person's choices, and a read of the register costs as much as the
# rest of a question's transaction. Choices change here (and are forgotten here at once) or in
# another bot process on the same register: that is seen within CHOICES_KEPT.
CHOICES_KEPT = timedelta(seconds=60)
CHOICES_CACHED = 10_000  # people whose choices are kept in memory at most


class ChoicesCache:
    """People's saved choices as last read, for CHOICES_KEPT; and who has any at all.

    Most people never choose: they are told apart by the list of everyone who has (one read a
    minute), so their events need no read. A read that started before a change was forgotten
    must not put the old value back: each `forget` starts a new generation, and a value read in
    an older one is not kept."""

    def __init__(
        self,
        now: Callable[[], datetime],
        keep_for: timedelta = CHOICES_KEPT,
        size: int = CHOICES_CACHED,
    ) -> None:
        self._now, self._keep_for, self._size = now, keep_for, size
        self._entries: OrderedDict[str, tuple[datetime, Preferences | None]] = OrderedDict()
        self._generation = 0
        self._choosers: set[str] = set()
        self._choosers_read_at: datetime | None = None
        self._lock = threading.Lock()

    def generation(self) -> int:
        return self._generation

    def _fresh(self, read_at: datetime | None) -> bool:
        if read_at is None:
            return False
        age = self._now() - read_at
        return timedelta(0) <= age < self._keep_for  # not old, and the clock did not go back

    def get(self, identity: str) -> tuple[bool, Preferences | None]:
        """(True, choices) when known and fresh, else (False, None)."""
        with self._lock:
            entry = self._entries.get(identity)
            if entry is not None and self._fresh(entry[0]):
                self._entries.move_to_end(identity)
                return True, entry[1]
            if entry is not None:
                del self._entries[identity]
            if self._fresh(self._choosers_read_at) and identity not in self._choosers:
                return True, None
            return False, None

    def choosers_due(self) -> bool:
        return not self._fresh(self._choosers_read_at)

    def put_choosers(self, identities: frozenset[str], generation: int) -> None:
        """Everyone who has saved a choice, as the register says now."""
        with self._lock:
            if generation == self._generation:
                self._choosers, self._choosers_read_at = set(identities), self._now()

    def put(self, identity: str, chosen: Preferences | None, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self._entries[identity] = (self._now(), chosen)
            self._entries.move_to_end(identity)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def forget(self, identity: str) -> None:
        """`identity`'s choices changed (or may have): read them again next time."""
        with self._lock:
            self._generation += 1
            self._entries.pop(identity, None)
            self._choosers.add(identity)


class PeopleDesk:
    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps
        self._choices = ChoicesCache(deps.clock.now)

    def personalise(self, incoming: Incoming) -> Incoming:
        """Apply saved choices: chosen language over the platform's locale, chosen site over
        the platform's mapping, then the deployment's defaults."""
        chosen = self._chosen(incoming.sender.identity)
        config = self._deps.config
        site = (chosen and chosen.site) or incoming.site or self._mapped_site(incoming)
        site = site or config.default_site
        # A site's language is the operator's word for its people: it goes before a guess.
        language = (chosen and chosen.language) or incoming.sender.language
        language = language or config.site_languages.get(site or "")
        # A display name is typed by its owner and shown in pings and notices: clean it too.
        name = clean_text(incoming.sender.display_name) or incoming.sender.user_id
        sender = replace(incoming.sender, language=language, display_name=name)
        return replace(incoming, sender=sender, site=site)

    def _chosen(self, identity: str) -> Preferences | None:
        known, chosen = self._choices.get(identity)
        if known:
            return chosen
        generation = self._choices.generation()
        with self._deps.unit_of_work(read_only=True) as uow:
            if self._choices.choosers_due():
                self._choices.put_choosers(uow.preferences.identities(), generation)
                known, chosen = self._choices.get(identity)
                if known:
                    return chosen
            chosen = uow.preferences.get(identity)
        self._choices.put(identity, chosen, generation)
        return chosen

    def _mapped_site(self, incoming: Incoming) -> str | None:
        """The site of the chat the message came from, else of its Slack workspace."""
        config = self._deps.config
        where = incoming.written_in or incoming.reply_to
        chat = f"{where.platform}:{where.chat_id}"
        return config.site_by_chat.get(chat) or config.site_by_team.get(incoming.team_id or "")

    def set_language(self, incoming: Incoming, language: str) -> list[Reply]:
        code = language.strip().lower().split("-")[0]
        known = self._deps.config.languages

        def work(uow: UnitOfWork) -> list[Reply]:
            if code not in known:
                shown = clean_text(language)
                raise ActionRefused("language.unknown", language=shown, choices=", ".join(known))
            current = self._current(uow, incoming)
            uow.preferences.save(replace(current, language=code))
            return [TextReply(self._deps.catalogue.text("language.set", code))]

        return self._changing_choices(incoming, work)

    def set_site(self, incoming: Incoming, site: str) -> list[Reply]:
        sites = self._deps.config.sites
        chosen = next((s for s in sites if s.lower() == site.strip().lower()), None)

        def work(uow: UnitOfWork) -> list[Reply]:
            if chosen is None:
                shown = clean_text(site)
                raise ActionRefused("site.unknown", site=shown, choices=", ".join(sites) or "-")
            current = self._current(uow, incoming)
            uow.preferences.save(replace(current, site=chosen))
            return [self._deps.say(incoming, "site.set", site=chosen)]

        return self._changing_choices(incoming, work)

    def _changing_choices(
        self, incoming: Incoming, work: Callable[[UnitOfWork], list[Reply]]
    ) -> list[Reply]:
        """The person's choices as last read are forgotten once the change is over (committed
        or not): their next event reads the register again."""
        try:
            return run_in_transaction(self._deps, incoming, work)
        finally:
            self._choices.forget(incoming.sender.identity)

    @staticmethod
    def _current(uow: UnitOfWork, incoming: Incoming) -> Preferences:
        identity = incoming.sender.identity
        return uow.preferences.get(identity) or Preferences(identity=identity)
