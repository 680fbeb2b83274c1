"""What the composition root needs for languages: the catalogue and a detector trained on it."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.catalogue import ENGLISH
from bot.i18n.catalogue import LOCALE_DIR, BabelCatalogue, load_translations
from bot.i18n.detect import HeuristicDetector


def load_languages(
    *, default_timezone: str = "UTC", site_timezones: Mapping[str, str] | None = None
) -> tuple[BabelCatalogue, HeuristicDetector]:
    """Reads the .po files once: they are both the messages and the detector's letter samples."""
    translations = load_translations(LOCALE_DIR)
    catalogue = BabelCatalogue(
        translations, default_timezone=default_timezone, site_timezones=site_timezones
    )
    samples = {"en": list(ENGLISH.values())}
    samples.update({language: list(texts.values()) for language, texts in translations.items()})
    return catalogue, HeuristicDetector.trained_on(samples)
