"""The speller: KB words one or two edits away from a word the KB does not know."""

from __future__ import annotations

import pytest

from kb_index.typos import Speller

WORDS = ["password", "passport", "account", "locked", "offline", "synchronisation", "form"]


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(WORDS, [50, 5, 20, 10, 10, 3, 8])


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pasword", "password"),  # dropped
        ("passsword", "password"),  # doubled
        ("passwrod", "password"),  # swapped
        ("passwprd", "password"),  # neighbouring key
        ("acount", "account"),
        ("lokced", "locked"),
    ],
)
def test_one_edit_finds_the_word_meant(speller: Speller, typed: str, meant: str) -> None:
    assert speller.corrections(typed)[0] == (meant, 1)


def test_two_edits_are_forgiven_in_long_words_only(speller: Speller) -> None:
    # A doubled letter and a dropped one: two edits.
    assert speller.corrections("synchhronistion")[0] == ("synchronisation", 2)
    assert speller.corrections("offflne") == []


def test_the_more_used_of_equally_near_words_comes_first(speller: Speller) -> None:
    assert [word for word, _ in speller.corrections("passwort")] == ["password", "passport"]


def test_short_words_and_numbers_are_left_alone(speller: Speller) -> None:
    assert speller.corrections("frm") == []
    assert speller.corrections("2024") == []


def test_a_word_far_from_every_known_word_has_no_correction(speller: Speller) -> None:
    assert speller.corrections("weather") == []


def test_an_empty_vocabulary_corrects_nothing() -> None:
    assert Speller([], []).corrections("password") == []
