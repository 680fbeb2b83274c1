"""People's explicit choices (language, site) and how they apply to each event."""

from __future__ import annotations

from dataclasses import replace

from bot.core.context import DeskDeps, run_in_transaction
from bot.core.incoming import ActionRefused, Incoming
from bot.core.model import Preferences
from bot.core.outgoing import Reply, TextReply
from bot.core.ports import UnitOfWork
from bot.core.requester import clean_text


class PeopleDesk:
    def __init__(self, deps: DeskDeps) -> None:
        self._deps = deps

    def personalise(self, incoming: Incoming) -> Incoming:
        """Apply saved choices: chosen language over the platform's locale, chosen site over
        the platform's mapping, then the deployment's defaults."""
        with self._deps.unit_of_work(read_only=True) as uow:
            chosen = uow.preferences.get(incoming.sender.identity)
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

        return run_in_transaction(self._deps, incoming, work)

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

        return run_in_transaction(self._deps, incoming, work)

    @staticmethod
    def _current(uow: UnitOfWork, incoming: Incoming) -> Preferences:
        identity = incoming.sender.identity
        return uow.preferences.get(identity) or Preferences(identity=identity)
