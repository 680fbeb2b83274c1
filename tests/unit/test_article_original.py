"""A translated suggestion offers its original too: from the knowledge base to the console."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.console.render import render_suggestions
from bot.core.context import DeskDeps
from bot.core.desk import SupportDesk
from bot.core.directory import AllowListDirectory
from bot.core.model import Level
from bot.core.outgoing import ArticleChoice, SuggestionsReply
from bot.core.sla import BusinessHoursSla, LevelTargets
from bot.i18n.catalogue import BabelCatalogue, load_translations
from kb_index.articles import Article
from kb_index.knowledge_base import KbSuggester
from kb_index.search import SearchIndex
from tests.fakes import FakeClock, FakeUnitOfWorkFactory, RecordingNotifier
from tests.unit.conftest import person

ORIGINAL = Article(
    id="forgot-password",
    title="Reset a forgotten password",
    body="Click *Forgot password* on the login page and follow the link we email you.",
    tags=("password", "forgot"),
    url="https://help.example.org/forgot-password",
)
FRENCH = Article(
    id="forgot-password-fr",
    title="Réinitialiser un mot de passe oublié",
    body="Cliquez sur *Mot de passe oublié* sur la page de connexion.",
    tags=("mot de passe", "oublié"),
    language="fr",
    translation_of="forgot-password",
)


@pytest.fixture
def kb() -> KbSuggester:
    return KbSuggester(SearchIndex.build([ORIGINAL, FRENCH]), min_score=0)


def test_a_translated_suggestion_names_its_original(kb: KbSuggester) -> None:
    (match,) = kb.suggest("mot de passe oublié", language="fr", limit=3)

    assert (match.article_id, match.language) == ("forgot-password-fr", "fr")
    assert (match.original_id, match.original_title) == ("forgot-password", ORIGINAL.title)
    assert (match.original_url, match.original_language) == (ORIGINAL.url, "en")


def test_an_original_suggestion_has_no_original_of_its_own(kb: KbSuggester) -> None:
    (match,) = kb.suggest("forgot password", language="en", limit=3)

    assert match.article_id == "forgot-password"
    assert (match.original_id, match.original_title, match.original_url) == (None, None, None)
    assert match.original_language is None


def test_an_article_asked_for_in_another_language_names_its_original(kb: KbSuggester) -> None:
    match = kb.article("forgot-password", language="fr")

    assert match is not None
    assert (match.article_id, match.original_id) == ("forgot-password-fr", "forgot-password")


def desk_with(kb: KbSuggester, catalogue: BabelCatalogue) -> SupportDesk:
    """A desk on fakes, but with a real knowledge base and the real translations."""
    sla = BusinessHoursSla(
        targets={
            level: LevelTargets(first_response_hours=8, resolution_hours=24) for level in Level
        }
    )
    deps = DeskDeps(
        unit_of_work=FakeUnitOfWorkFactory(),
        kb=kb,
        notifier=RecordingNotifier(),
        clock=FakeClock(),
        catalogue=catalogue,
        staff=AllowListDirectory({Level.L1: ["test:lina"]}),
        sla=sla,
    )
    return SupportDesk(deps)


def test_the_desk_labels_the_original_in_the_users_language(kb: KbSuggester) -> None:
    catalogue = BabelCatalogue(load_translations())
    desk = desk_with(kb, catalogue)

    (reply,) = desk.ask(person("zoe", "Zoé", language="fr"), "mot de passe oublié")

    assert isinstance(reply, SuggestionsReply)
    (article,) = reply.articles
    assert article.original_label == catalogue.text(
        "suggestions.original", "fr", language=catalogue.text("language.name.en", "fr")
    )
    assert article.original_label == "Version originale (anglais)"
    assert (article.original_id, article.original_url) == ("forgot-password", ORIGINAL.url)


def choice() -> ArticleChoice:
    return ArticleChoice("forgot-password-fr", FRENCH.title, "Cliquez", None, "fr")


def reply_with(article: ArticleChoice) -> SuggestionsReply:
    return SuggestionsReply(1, "Ces articles :", (article,), "Résolu", "Aucun")


def say(key: str, /, **params: object) -> str:
    return f"{key} {sorted(params.items())}"


def test_the_console_shows_the_original_under_a_translation() -> None:
    article = replace(
        choice(),
        original_id="forgot-password",
        original_title=ORIGINAL.title,
        original_url=ORIGINAL.url,
        original_language="en",
        original_label="Version originale (anglais)",
    )

    lines = render_suggestions(reply_with(article), say)

    expected = f"     Version originale (anglais): {ORIGINAL.title} {ORIGINAL.url}"
    assert lines[lines.index(f"  1. {FRENCH.title}") + 2] == expected


def test_the_console_shows_no_original_line_for_an_original() -> None:
    lines = render_suggestions(reply_with(choice()), say)

    assert not any("Original" in line or "originale" in line for line in lines)
