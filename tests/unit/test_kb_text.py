"""Normalisation per language: folding, Arabic letters, tokens, stop words and stems."""

from __future__ import annotations

import importlib

import pytest
import snowballstemmer  # type: ignore[import-untyped]
import Stemmer  # type: ignore[import-not-found]

from kb_index.loader import bundled_kb_path, load_kb
from kb_index.text import content_words, fold, normalise, stem, stems, stop_words, words

SCRIPTS_MIXED = ["passwords", "exportations", "contraseñas", "كلمات", "المرور", "пароли", "पासवर्ड"]
SCRIPTS_MIXED += ["密码密码", "passwordكلمة", "'пароль'", "2024-09"]
STEMMER_NAMES = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ar": "arabic",
}


def test_case_accents_and_compatibility_forms_are_folded() -> None:
    assert words("Réinitialiser le MOT-de-passe ?!") == [
        "reinitialiser",
        "le",
        "mot",
        "de",
        "passe",
    ]
    assert words("ﬁle ＰＡＳＳ Straße") == ["file", "pass", "strasse"]


def test_arabic_letter_variants_diacritics_and_tatweel_are_unified() -> None:
    assert words("أَحمد إلى آخر ٱلكتاب") == ["احمد", "الي", "اخر", "الكتاب"]
    assert words("مُـدرسة مستشفى") == ["مدرسه", "مستشفي"]


def test_arabic_indic_digits_become_ascii_digits() -> None:
    assert words("خطأ ٤٠٤ و ۵") == ["خطا", "404", "و", "5"]


def test_marks_of_other_scripts_stay_inside_their_words() -> None:
    # Devanagari vowel signs are combining marks: they must neither split nor vanish.
    assert words("हिंदी में पासवर्ड") == ["हिंदी", "में", "पासवर्ड"]
    assert fold("पासवर्ड") == "पासवर्ड"


def test_underscores_and_punctuation_split_words() -> None:
    assert normalise("snake_case, e-mail!") == "snake case e mail"


@pytest.mark.parametrize(
    ("language", "question", "kept"),
    [
        ("en", "how do I reset my password", ["reset", "password"]),
        ("fr", "comment je change le mot de passe", ["change", "mot", "passe"]),
        ("es", "cómo cambio la contraseña", ["cambio", "contrasena"]),
        ("pt", "como eu altero a senha", ["altero", "senha"]),
        ("ar", "كيف اغير كلمة المرور", ["اغير", "كلمه", "المرور"]),
    ],
)
def test_stop_words_of_each_language_are_left_out(
    language: str, question: str, kept: list[str]
) -> None:
    assert content_words(words(question), stop_words([language])) == kept


def test_a_question_of_stop_words_only_keeps_them_all() -> None:
    assert content_words(["how", "do", "i"], stop_words(["en"])) == ["how", "do", "i"]


def test_an_apostrophes_lone_letter_is_not_a_word() -> None:
    assert content_words(words("what's l'export"), stop_words(["en", "fr"])) == ["export"]


def test_stems_join_the_forms_of_a_word_with_or_without_accents() -> None:
    assert stem("passwords", "en") == stem("password", "en")
    assert stem(fold("cartões"), "pt") == stem("cartoes", "pt")
    assert stem("exportations", "fr") == stem("exportation", "fr")


def test_short_words_digits_and_unknown_languages_are_not_stemmed() -> None:
    assert stem("cases", "xx") == "cases"
    assert stem("us", "en") == "us"
    assert stem("2024", "en") == "2024"


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "ar"])
def test_passing_over_words_of_another_script_gives_what_snowball_gives(language: str) -> None:
    # stems() does not run a stemmer over a word with none of the letters it reads; Snowball
    # would have given such a word back as it is, and a word it does read is stemmed.
    snowball = snowballstemmer.stemmer(STEMMER_NAMES[language])
    for word in SCRIPTS_MIXED:
        stemmed = snowball.stemWord(word)
        assert stems(word, [language]) == {word, stemmed if len(stemmed) >= 3 else word}, word


def test_a_word_has_its_stem_in_each_language_and_itself() -> None:
    languages = ["en", "es", "ar", "xx"]  # Arabic and an unknown language add nothing here

    assert stems("exportaciones", languages) == {"exportaciones", "exportacion", "export"}


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "ar"])
def test_the_c_stemmer_gives_the_stems_of_the_pure_python_one(language: str) -> None:
    # snowballstemmer hands over to PyStemmer (Snowball's C build) when it is installed; the
    # index and every question must get the same stems either way.
    name = STEMMER_NAMES[language]
    pure = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    python_stemmer = getattr(pure, f"{name.capitalize()}Stemmer")()
    c_stemmer = Stemmer.Stemmer(name)
    kb = load_kb(bundled_kb_path())
    vocabulary = {
        word
        for article in kb.articles
        for text in (article.title, article.body, *article.aliases)
        for word in words(text)
    }

    assert len(vocabulary) > 1000
    assert {w: c_stemmer.stemWord(w) for w in vocabulary} == {
        w: python_stemmer.stemWord(w) for w in vocabulary
    }
