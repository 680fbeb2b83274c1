"""The core's `KnowledgeBase` port, answered from loaded articles and their search index."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.ports import ArticleMatch
from kb_index.articles import Article
from kb_index.live import LiveIndex
from kb_index.search import SearchIndex

EXCERPTS_KEPT = 4096  # a large KB's worth of article versions
EXCERPT_CHARS = 160
_MARKDOWN_TO_TEXT = (
    (re.compile(r"```.*?```", re.DOTALL), " "),  # code blocks say nothing in a preview
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep their text
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^[ \t]*(#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.MULTILINE), ""),
    (re.compile(r"\*+|`+|~~|(?<!\w)_+|_+(?!\w)"), ""),  # emphasis, not snake_case words
)


class KbSuggester:
    """Suggests articles scoring at least `min_score`, each in the user's language if it has one.

    Given a `LiveIndex`, every question is answered by the index in use at that moment, so a
    reload in the background never pauses answers."""

    def __init__(self, index: SearchIndex | LiveIndex, *, min_score: float) -> None:
        self._live = index if isinstance(index, LiveIndex) else LiveIndex(index)
        self._min_score = min_score

    @property
    def live(self) -> LiveIndex:
        return self._live

    def suggest(self, query: str, *, language: str | None, limit: int) -> list[ArticleMatch]:
        index = self._live.current  # one index for the hits and their originals
        hits = index.search(query, limit=limit, language=language)
        return [
            _match(index, hit.article, hit.score) for hit in hits if hit.score >= self._min_score
        ]

    def article(self, article_id: str, *, language: str | None = None) -> ArticleMatch | None:
        index = self._live.current
        found = index.article(article_id, language=language)
        return None if found is None else _match(index, found, 100.0)


def _match(index: SearchIndex, article: Article, score: float) -> ArticleMatch:
    """The article as the port gives it, with its original when it is a translation."""
    original = index.article(article.translation_of) if article.translation_of else None
    return ArticleMatch(
        article_id=article.id,
        title=article.title,
        excerpt=excerpt(article.body),
        url=article.url,
        language=article.language,
        score=score,
        body=article.body,
        original_id=None if original is None else original.id,
        original_title=None if original is None else original.title,
        original_url=None if original is None else original.url,
        original_language=None if original is None else original.language,
    )


@lru_cache(maxsize=EXCERPTS_KEPT)
def excerpt(markdown: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a Markdown body as plain text, cut at a word, with "…" when cut. Kept:
    the same articles are suggested again and again, and their bodies do not change (a
    reloaded KB brings new strings, and the old ones age out)."""
    text = plain_text(markdown)
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def plain_text(markdown: str) -> str:
    text = markdown
    for pattern, replacement in _MARKDOWN_TO_TEXT:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())
