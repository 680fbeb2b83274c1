"""Due times and durations per locale in the site's zone, and Arabic kept in right-to-left order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.bidi import FSI, PDI, RLI, RLM, isolate_latin_runs, strip_bidi_controls
from bot.i18n.catalogue import BabelCatalogue, load_translations
from bot.i18n.formatting import format_due, zone_label

TUESDAY_10_UTC = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogue() -> BabelCatalogue:
    return BabelCatalogue(
        load_translations(),
        default_timezone="UTC",
        site_timezones={"Maputo": "Africa/Maputo", "Baghdad": "Asia/Baghdad"},
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tue 24 Nov 10:00 UTC"),
        ("fr", "mardi 24 nov. à 10:00 UTC"),
        ("es", "martes 24 de noviembre, 10:00 UTC"),
        ("pt", "terça-feira, 24 de novembro, 10:00 UTC"),
        ("ar", "الثلاثاء 24 نوفمبر، الساعة 10:00 UTC"),
    ],
)
def test_a_due_time_is_written_as_each_language_writes_dates(
    catalogue: BabelCatalogue, language: str, expected: str
) -> None:
    shown = catalogue.format_time(TUESDAY_10_UTC, language, None)
    assert strip_bidi_controls(shown) == expected


def test_a_due_time_is_shown_in_the_sites_time_zone(catalogue: BabelCatalogue) -> None:
    assert catalogue.format_time(TUESDAY_10_UTC, "pt", "Maputo").endswith("12:00 CAT")
    assert catalogue.format_time(TUESDAY_10_UTC, "fr", "Baghdad") == "mardi 24 nov. à 13:00 UTC+3"
    assert catalogue.format_time(TUESDAY_10_UTC, "fr", "Elsewhere").endswith("10:00 UTC")


def test_a_zone_without_a_letter_abbreviation_is_written_as_an_offset_from_utc() -> None:
    assert zone_label(TUESDAY_10_UTC.astimezone(ZoneInfo("Asia/Kabul"))) == "UTC+4:30"
    assert zone_label(TUESDAY_10_UTC.astimezone(ZoneInfo("America/Sao_Paulo"))) == "UTC-3"


def test_a_regional_tag_gets_its_languages_pattern_and_another_language_babels_dates() -> None:
    assert format_due(TUESDAY_10_UTC, "en-US", UTC) == "Tue 24 Nov 10:00 UTC"
    assert format_due(TUESDAY_10_UTC, "pt-BR", UTC).startswith("terça-feira, 24 de novembro")
    assert format_due(TUESDAY_10_UTC, "sw", UTC) == "Jumanne, 24 Nov 10:00 UTC"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "3 hours"),
        ("fr", "3\u00a0heures"),
        ("es", "3 horas"),
        ("pt", "3 horas"),
        ("ar", "3 ساعات"),
    ],
)
def test_durations_are_written_in_words_of_the_language(
    catalogue: BabelCatalogue, language: str, expected: str
) -> None:
    shown = catalogue.format_duration(timedelta(hours=3, minutes=5), language)
    assert strip_bidi_controls(shown) == expected


def test_every_arabic_line_is_marked_right_to_left_so_a_leading_reference_does_not_flip_it(
    catalogue: BabelCatalogue,
) -> None:
    text = catalogue.text("refused.already_resolved", "ar", ref="SR-42")
    assert text.startswith(RLM + RLI)
    assert text.endswith(PDI)
    help_text = catalogue.text("telegram.help", "ar", mention="@supportbot")
    assert all(line.startswith(RLM + RLI) for line in help_text.split("\n"))


def test_references_names_and_numbers_inside_arabic_are_isolated(
    catalogue: BabelCatalogue,
) -> None:
    text = catalogue.text("notice.claimed", "ar", ref="SR-42", name="Lina Haddad")
    assert f"{FSI}SR-42{PDI}" in text
    assert f"{FSI}Lina Haddad{PDI}" in text
    assert strip_bidi_controls(text) == "يتابع Lina Haddad من فريق الدعم طلبك SR-42 الآن."


def test_latin_words_written_in_an_arabic_template_are_isolated_and_placeholders_kept() -> None:
    template = "اكتب /status أو SR-42 لـ {ref} (المستوى 1)."
    assert isolate_latin_runs(template) == (
        f"اكتب {FSI}/status{PDI} أو {FSI}SR-42{PDI} لـ {{ref}} (المستوى {FSI}1{PDI})."
    )


def test_left_to_right_languages_get_no_invisible_marks(catalogue: BabelCatalogue) -> None:
    for language in ("en", "fr", "es", "pt"):
        text = catalogue.text("notice.claimed", language, ref="SR-42", name="Lina")
        assert strip_bidi_controls(text) == text
