"""`KbSuggester`, the core's KnowledgeBase port: thresholds, languages and excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ports import KnowledgeBase
from kb_index.articles import Article
from kb_index.knowledge_base import KbSuggester, excerpt, plain_text
from kb_index.loader import load_kb
from kb_index.search import SearchIndex

FIXTURES = Path(__file__).parents[1] / "kb_fixtures"


def suggester(min_score: float = 45.0) -> KbSuggester:
    return KbSuggester(SearchIndex.build(load_kb(FIXTURES / "good").articles), min_score=min_score)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return suggester()


def test_suggestions_below_the_minimum_score_are_left_out() -> None:
    question = "forgot my password after login attempts"
    everything = suggester(min_score=0).suggest(question, language=None, limit=10)
    strict = suggester(min_score=30).suggest(question, language=None, limit=10)

    assert [m.article_id for m in everything] == ["forgot-password", "account-locked"]
    assert everything[1].score < 30 <= everything[0].score
    assert [m.article_id for m in strict] == ["forgot-password"]
    assert suggester(min_score=0).suggest("weather in Maputo", language=None, limit=3) == []


def test_a_suggestion_carries_title_language_excerpt_and_full_body(kb: KnowledgeBase) -> None:
    (match,) = kb.suggest("forgot my password", language="en", limit=1)

    assert (match.article_id, match.title, match.language) == (
        "forgot-password",
        "Reset a forgotten password",
        "en",
    )
    assert match.score == 100
    assert match.body.startswith("If you forgot your password")
    assert "**" in match.body  # the body stays Markdown
    assert match.excerpt.startswith("If you forgot your password, you can ask for a reset link")
    assert "**" not in match.excerpt
    assert "](" not in match.excerpt


def test_a_suggestion_names_the_translation_it_shows(kb: KnowledgeBase) -> None:
    (match,) = kb.suggest("forgot my password", language="fr", limit=1)

    assert (match.article_id, match.language) == ("forgot-password-fr", "fr")
    assert match.title == "Réinitialiser un mot de passe oublié"


def shown_id(kb: KnowledgeBase, article_id: str, language: str | None = None) -> str | None:
    match = kb.article(article_id, language=language)
    return None if match is None else match.article_id


def test_an_article_is_given_in_the_asked_language_when_translated(kb: KnowledgeBase) -> None:
    assert shown_id(kb, "forgot-password", "fr") == "forgot-password-fr"
    assert shown_id(kb, "mark-for-offline", "fr") == "mark-for-offline"  # not translated
    assert shown_id(kb, "forgot-password-fr", "en") == "forgot-password"


def test_an_article_is_given_as_asked_without_a_language(kb: KnowledgeBase) -> None:
    assert shown_id(kb, "forgot-password-fr") == "forgot-password-fr"


def test_an_unknown_article_is_none(kb: KnowledgeBase) -> None:
    assert shown_id(kb, "no-such-article") is None


def test_an_excerpt_is_plain_text_cut_at_a_word() -> None:
    body = "## Heading\n\n1. Click **Save** and see [the guide](https://x.org).\n" + "word " * 60

    text = excerpt(body)

    assert text.startswith("Heading Click Save and see the guide. word word")
    assert text.endswith("word…")
    assert len(text) <= 161


def test_a_short_body_is_its_own_excerpt() -> None:
    assert excerpt("> Wait *30 minutes*, then `log in`.") == "Wait 30 minutes, then log in."


def test_markdown_emphasis_goes_but_snake_case_words_stay() -> None:
    assert plain_text("_Note_: set `kb_path` in __settings__") == "Note: set kb_path in settings"


def test_an_article_built_in_code_is_suggested_too() -> None:
    article = Article(id="one", title="Print a case", body="Use the print button.")
    kb = KbSuggester(SearchIndex.build([article]), min_score=45)

    assert [m.article_id for m in kb.suggest("print case", language=None, limit=3)] == ["one"]
