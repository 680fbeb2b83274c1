"""The first article search: typos, aliases, scores, and the user's language."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from config.settings import Settings
from kb_index.articles import Article
from kb_index.loader import bundled_kb_path, load_kb
from kb_index.search import SearchIndex, normalise

FIXTURES = Path(__file__).parents[1] / "kb_fixtures"


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_kb(FIXTURES / "good").articles)


def top_ids(index: SearchIndex, query: str, language: str | None = None) -> list[str]:
    return [hit.article.id for hit in index.search(query, limit=3, language=language)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I forgot my pasword", "forgot-password"),
        ("acount locekd", "account-locked"),
        ("how to work without internet?", "mark-for-offline"),
        ("Too many login attempts!", "account-locked"),
    ],
)
def test_a_question_with_typos_finds_the_right_article(
    index: SearchIndex, question: str, expected: str
) -> None:
    assert top_ids(index, question)[0] == expected


def test_scores_run_from_0_to_100_best_first(index: SearchIndex) -> None:
    hits = index.search("reset my password", limit=10)

    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)
    assert index.search("forgot my password")[0].score == 100


def test_an_empty_or_punctuation_only_question_finds_nothing(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search(" ?! ") == []


def test_limit_caps_the_number_of_hits(index: SearchIndex) -> None:
    question = "forgot password, account locked, offline"

    assert len(index.search(question, limit=10)) == 3
    assert len(index.search(question, limit=2)) == 2
    assert index.search(question, limit=0) == []


def test_an_article_and_its_translations_appear_once(index: SearchIndex) -> None:
    question = "mot de passe, password, conta bloqueada, account locked, offline"
    groups = [hit.article.original_id for hit in index.search(question, limit=10)]

    assert len(groups) == len(set(groups)) == 3


def test_only_articles_sharing_a_word_with_the_question_are_hits(index: SearchIndex) -> None:
    assert [hit.article.id for hit in index.search("password", limit=10)] == ["forgot-password"]
    assert index.search("weather in Maputo") == []


def test_a_user_sees_the_translation_in_their_language(index: SearchIndex) -> None:
    assert top_ids(index, "mot de passe oublié", language="fr")[0] == "forgot-password-fr"
    assert top_ids(index, "conta bloqueada", language="pt")[0] == "account-locked-pt"


def test_an_english_question_shows_a_french_user_the_french_version(index: SearchIndex) -> None:
    (hit,) = index.search("forgot my password", limit=1, language="fr")

    assert hit.article.id == "forgot-password-fr"
    assert hit.score == 100  # matched through the original


def test_a_french_question_finds_the_original_through_its_translation(
    index: SearchIndex,
) -> None:
    (hit,) = index.search("mot de passe oublie", limit=1, language="en")

    assert hit.article.id == "forgot-password"
    assert hit.score == 100


def test_without_a_language_the_best_matching_version_is_shown(index: SearchIndex) -> None:
    assert top_ids(index, "mot de passe oublié")[0] == "forgot-password-fr"
    assert top_ids(index, "forgot my password")[0] == "forgot-password"


def test_a_region_subtag_matches_its_language(index: SearchIndex) -> None:
    # The article says pt-MZ; a user set to plain pt (or pt-PT) still gets it.
    assert top_ids(index, "account locked", language="pt-PT")[0] == "account-locked-pt"


def test_at_equal_scores_the_article_in_the_users_language_ranks_first() -> None:
    twins = [
        Article(id="a-en", title="Sync records", body="x", language="en"),
        Article(id="b-fr", title="Sync records", body="x", language="fr"),
    ]
    index = SearchIndex.build(twins)

    assert top_ids(index, "sync records", language="fr") == ["b-fr", "a-en"]
    assert top_ids(index, "sync records", language="en") == ["a-en", "b-fr"]


def test_normalising_folds_case_accents_and_punctuation() -> None:
    assert normalise("  Réinitialiser  le MOT-de-passe ?! ") == "reinitialiser le mot de passe"
    assert normalise("¿Olvidó su contraseña?") == "olvido su contrasena"
    assert normalise("snake_case") == "snake case"


def test_two_words_the_kb_writes_as_one_still_match() -> None:
    index = SearchIndex.build([Article(id="login", title="Login problems", body="x")])

    assert top_ids(index, "cannot log in") == ["login"]


def test_a_question_with_a_typo_in_every_word_still_finds_its_article(index: SearchIndex) -> None:
    assert top_ids(index, "acount lockde")[0] == "account-locked"


def test_without_a_language_the_original_is_shown_unless_a_translation_matched_better(
    index: SearchIndex,
) -> None:
    assert top_ids(index, "password reset")[0] == "forgot-password"
    assert top_ids(index, "réinitialiser mot de passe oublié")[0] == "forgot-password-fr"


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    loaded = load_kb(bundled_kb_path())
    return SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("fermer un cas", "fr", "close-reopen-case"),  # English only: found through synonyms
        ("esqueci a minha senha", "pt", "forgot-password-pt"),
        ("نسيت كلمة المرور", "ar", "forgot-password-ar"),
        ("olvide mi contraseña", "es", "forgot-password-es"),
    ],
)
def test_the_bundled_kb_answers_field_questions_in_five_languages(
    bundled: SearchIndex, question: str, language: str, expected: str
) -> None:
    assert expected in top_ids(bundled, question, language)


def test_chit_chat_scores_below_the_default_minimum(bundled: SearchIndex) -> None:
    floor = Settings.model_fields["min_score"].default
    for question in ("what's the weather like today", "tell me a joke", "how old are you"):
        assert all(hit.score < floor for hit in bundled.search(question)), question


def test_asking_again_gives_the_same_answers(bundled: SearchIndex) -> None:
    # The second time, each word's analysis comes from what the index remembered of it.
    questions = [
        ("fermer un cas", "fr"),
        ("fermerr un cas", None),
        ("I forgot my pasword", "en"),
        ("how do I export cases to excel", "pt-MZ"),
        ("نسيت كلمة المرور", "ar"),
    ]
    first = [bundled.search(q, language=language) for q, language in questions]

    assert [bundled.search(q, language=language) for q, language in questions] == first


def test_a_replaced_index_is_freed_without_waiting_for_the_cycle_collector() -> None:
    # A KB reload swaps the index; the old one, a large KB's hundreds of MB, must go at once.
    loaded = load_kb(bundled_kb_path())
    index = SearchIndex.build(loaded.articles, synonyms=loaded.synonyms)
    index.search("how do I close a case", language="fr")
    gone = weakref.ref(index)
    gc.disable()
    try:
        del index
        assert gone() is None
    finally:
        gc.enable()
