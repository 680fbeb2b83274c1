"""On Telegram, a translated suggestion shows its original on one line under the article."""

from __future__ import annotations

from bot.core.outgoing import ArticleChoice, SuggestionsReply
from bot.telegram.render import render_suggestions


def translated(url: str | None) -> ArticleChoice:
    return ArticleChoice(
        "reset-fr",
        "Réinitialiser",
        "Cliquez",
        None,
        "fr",
        original_id="reset",
        original_title="Reset <b>now</b> & later",
        original_url=url,
        original_language="en",
        original_label="Version originale (anglais)",
    )


def text_of(article: ArticleChoice) -> str:
    (message,) = render_suggestions(SuggestionsReply(7, "Intro", (article,), "Oui", "Non"))
    return message.html


def test_a_translation_shows_its_escaped_original_with_the_link() -> None:
    text = text_of(translated("https://help.example.org/reset?a=1&b=2"))

    assert text.endswith(
        "Cliquez\n<i>Version originale (anglais): Reset &lt;b&gt;now&lt;/b&gt; &amp; later</i>"
        " https://help.example.org/reset?a=1&amp;b=2"
    )


def test_an_original_without_a_url_is_named_alone() -> None:
    text = text_of(translated(None))

    assert text.endswith(
        "<i>Version originale (anglais): Reset &lt;b&gt;now&lt;/b&gt; &amp; later</i>"
    )


def test_an_original_article_gets_no_original_line() -> None:
    text = text_of(ArticleChoice("reset", "Reset", "Click", None, "en"))

    assert "original" not in text.lower()
