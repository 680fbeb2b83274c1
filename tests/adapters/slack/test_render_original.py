"""On Slack, a translated suggestion shows its original in a small context line."""

from __future__ import annotations

from typing import Any

from bot.core.outgoing import ArticleChoice, SuggestionsReply
from bot.slack.render import suggestions_message


def translated(url: str | None = "https://help.example.org/reset?a=1&b=2") -> ArticleChoice:
    return ArticleChoice(
        "reset-fr",
        "Réinitialiser",
        "Cliquez",
        None,
        "fr",
        original_id="reset",
        original_title="Reset <@U1> & <!channel>",
        original_url=url,
        original_language="en",
        original_label="Version originale (anglais)",
    )


def blocks_for(article: ArticleChoice) -> list[dict[str, Any]]:
    message = suggestions_message(SuggestionsReply(7, "Intro", (article,), "Oui", "Non"), "U9")
    assert message.blocks is not None
    return message.blocks


def context_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["text"]
        for block in blocks
        if block["type"] == "context"
        for element in block["elements"]
    ]


def test_a_translation_is_followed_by_its_linked_escaped_original() -> None:
    blocks = blocks_for(translated())

    (line,) = context_texts(blocks)
    assert line == (
        "Version originale (anglais): <https://help.example.org/reset?a=1&amp;b=2|"
        "Reset &lt;@U1&gt; &amp; &lt;!channel&gt;>"
    )
    article_at = next(i for i, b in enumerate(blocks) if b.get("block_id") == "article:1")
    assert blocks[article_at + 1]["type"] == "context"


def test_an_original_without_a_safe_url_is_named_without_a_link() -> None:
    (line,) = context_texts(blocks_for(translated(url="javascript:alert(1)")))

    assert line == "Version originale (anglais): Reset &lt;@U1&gt; &amp; &lt;!channel&gt;"


def test_an_original_article_gets_no_context_line() -> None:
    plain = ArticleChoice("reset", "Reset", "Click", None, "en")

    assert context_texts(blocks_for(plain)) == []
