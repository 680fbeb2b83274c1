"""The gettext catalogues: every message in every language, same placeholders, sync with Babel."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.catalogue import ENGLISH
from bot.i18n.bidi import strip_bidi_controls
from bot.i18n.catalogue import (
    LOCALE_DIR,
    TRANSLATED_LANGUAGES,
    BabelCatalogue,
    load_translations,
    po_path,
)
from bot.i18n.sync import sync

TRANSLATIONS = load_translations()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def po_messages(path: Path, language: str) -> dict[str, tuple[str, bool]]:
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    return {str(m.id): (str(m.string), m.fuzzy) for m in catalog if m.id}


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_english_message_has_a_reviewed_translation(language: str) -> None:
    messages = po_messages(po_path(LOCALE_DIR, language), language)
    missing = [key for key in ENGLISH if not messages.get(key, ("", False))[0]]
    fuzzy = [key for key in ENGLISH if messages.get(key, ("", False))[1]]
    assert missing == [], f"run `python -m bot.i18n.sync` and translate these into {language}"
    assert fuzzy == [], f"the English text changed: review these {language} translations"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_use_exactly_the_placeholders_of_the_english_text(language: str) -> None:
    different = {
        key: (sorted(placeholders(ENGLISH[key])), sorted(placeholders(text)))
        for key, text in TRANSLATIONS[language].items()
        if key in ENGLISH and placeholders(text) != placeholders(ENGLISH[key])
    }
    assert different == {}


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_no_sentence_was_left_in_english(language: str) -> None:
    copied = [
        key
        for key, text in TRANSLATIONS[language].items()
        if len(ENGLISH.get(key, "")) > 20 and text == ENGLISH[key]
    ]
    assert copied == []


def test_the_template_and_po_files_are_up_to_date_with_the_english_catalogue() -> None:
    stale = [status.path.name for status in sync(check=True) if status.changed]
    assert stale == [], "run `python -m bot.i18n.sync`"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_renders_in_every_language_with_its_placeholders_filled(
    language: str,
) -> None:
    catalogue = BabelCatalogue(TRANSLATIONS)
    for key, english in ENGLISH.items():
        params = {name: f"<{name}>" for name in placeholders(english)}
        text = strip_bidi_controls(catalogue.text(key, language, **params))
        assert all(value in text for value in params.values()), key


def test_sync_adds_new_keys_untranslated_obsoletes_removed_ones_and_flags_changed_english(
    tmp_path: Path,
) -> None:
    first = {"keep": "Hello {name}", "change": "Old text", "drop": "Goodbye"}
    sync(tmp_path, ["fr"], first)
    path = po_path(tmp_path, "fr")
    text = path.read_text(encoding="utf-8")
    for key, french in (("keep", "Bonjour {name}"), ("change", "Ancien texte"), ("drop", "Adieu")):
        text = text.replace(f'msgid "{key}"\nmsgstr ""', f'msgid "{key}"\nmsgstr "{french}"')
    path.write_text(text, encoding="utf-8")

    (_, status) = sync(tmp_path, ["fr"], {"keep": "Hello {name}", "change": "New", "new": "Hi"})

    messages = po_messages(path, "fr")
    assert messages["keep"] == ("Bonjour {name}", False)
    assert messages["change"] == ("Ancien texte", True)
    assert messages["new"] == ("", False)
    assert "drop" not in messages
    assert '#~ msgid "drop"' in path.read_text(encoding="utf-8")
    assert status.untranslated == ("new",)
    assert status.fuzzy == ("change",)


def test_sync_writes_the_english_text_as_a_comment_for_translators(tmp_path: Path) -> None:
    sync(tmp_path, ["es"], {"greeting": "Hello {name}"})
    pot = (tmp_path / "supportbot.pot").read_text(encoding="utf-8")
    assert '#. Hello {name}\nmsgid "greeting"\nmsgstr ""' in pot


def test_a_second_sync_with_nothing_new_changes_no_file(tmp_path: Path) -> None:
    sync(tmp_path, ["pt"], {"greeting": "Hello"})
    assert [s.changed for s in sync(tmp_path, ["pt"], {"greeting": "Hello"})] == [False, False]


def test_a_missing_or_fuzzy_translation_falls_back_to_english(tmp_path: Path) -> None:
    sync(tmp_path, ["fr"], {"status.none": ENGLISH["status.none"], "status.header": "x"})
    path = po_path(tmp_path, "fr")
    text = path.read_text(encoding="utf-8").replace(
        'msgid "status.none"\nmsgstr ""', '#, fuzzy\nmsgid "status.none"\nmsgstr "Rien"'
    )
    path.write_text(text, encoding="utf-8")
    catalogue = BabelCatalogue(load_translations(tmp_path, ["fr"]))
    assert catalogue.text("status.none", "fr") == ENGLISH["status.none"]
    assert catalogue.text("status.header", "fr") == ENGLISH["status.header"]


def test_a_translation_with_a_broken_placeholder_falls_back_to_english() -> None:
    catalogue = BabelCatalogue({"fr": {"staff.claimed": "Vous avez pris {reff}."}})
    assert catalogue.text("staff.claimed", "fr", ref="SR-7") == "You have claimed SR-7."


def test_an_unknown_language_and_a_regional_variant_are_answered_sensibly() -> None:
    catalogue = BabelCatalogue(TRANSLATIONS)
    assert catalogue.text("status.none", "de") == ENGLISH["status.none"]
    assert catalogue.text("status.none", "pt-BR") == catalogue.text("status.none", "pt")
    assert catalogue.text("status.none", "fr") != ENGLISH["status.none"]
