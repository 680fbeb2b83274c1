"""The core's `Catalogue` port from gettext .po files read with Babel (no compile step needed).

`bot/i18n/locale/<lang>/LC_MESSAGES/supportbot.po`: msgid is the key of `ENGLISH`, msgstr the
translation. A missing, empty or fuzzy translation falls back to English, as gettext does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.pofile import read_po

from bot.core.catalogue import ENGLISH
from bot.i18n import bidi
from bot.i18n.formatting import format_due, format_duration, primary_subtag

log = logging.getLogger("supportbot.i18n")

DOMAIN = "supportbot"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TRANSLATED_LANGUAGES = ("fr", "es", "pt", "ar")


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_translations(path: Path, language: str) -> dict[str, str]:
    """The usable translations of one .po file: translated and not marked fuzzy."""
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def load_translations(
    locale_dir: Path = LOCALE_DIR, languages: Sequence[str] = TRANSLATED_LANGUAGES
) -> dict[str, dict[str, str]]:
    """Every language's translations; a language without a .po file is left out (English)."""
    found = {}
    for language in languages:
        path = po_path(locale_dir, language)
        if path.exists():
            found[language] = read_translations(path, language)
        else:
            log.warning("no translations for %s at %s; English will be used", language, path)
    return found


class BabelCatalogue:
    """Messages by key and language, falling back to English; right-to-left text kept in order."""

    def __init__(
        self,
        translations: Mapping[str, Mapping[str, str]],
        *,
        default_timezone: str = "UTC",
        site_timezones: Mapping[str, str] | None = None,
    ) -> None:
        self._translations = {
            language: (
                {key: bidi.isolate_latin_runs(text) for key, text in messages.items()}
                if bidi.is_rtl(language)
                else dict(messages)
            )
            for language, messages in translations.items()
        }
        self._default_tz = ZoneInfo(default_timezone)
        self._site_tz = {site: ZoneInfo(name) for site, name in (site_timezones or {}).items()}

    def text(self, key: str, language: str, /, **params: object) -> str:
        code = primary_subtag(language)
        template = self._translations.get(code, {}).get(key)
        if template is None:
            return ENGLISH[key].format(**params)
        if not bidi.is_rtl(code):
            return self._fill(key, template, params)
        isolated = {name: bidi.isolate(str(value)) for name, value in params.items()}
        return bidi.right_to_left(self._fill(key, template, isolated))

    @staticmethod
    def _fill(key: str, template: str, params: Mapping[str, object]) -> str:
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            # A translator's typo in a placeholder must not cost the user their answer.
            log.exception("broken translation of %s; using English", key)
            return ENGLISH[key].format(**params)

    def format_time(self, moment: datetime, language: str, site: str | None) -> str:
        zone = self._site_tz.get(site or "", self._default_tz)
        text = format_due(moment, language, zone)
        return bidi.isolate_latin_runs(text) if bidi.is_rtl(language) else text

    def format_duration(self, delta: timedelta, language: str) -> str:
        text = format_duration(delta, language)
        return bidi.isolate_latin_runs(text) if bidi.is_rtl(language) else text
