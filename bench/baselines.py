"""The baselines our search is measured against, each answering with ranked article ids.

BM25 (bm25s, its default tokeniser) over title + body and over titles only, a full rapidfuzz
`token_set_ratio` scan of the titles, and the reciprocal-rank fusion of the scan and title+body
BM25: the methods of ../shared/data/retrieval/README.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import bm25s  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process, utils

from kb_index.articles import Article
from kb_index.search import SearchIndex
from kb_index.synonyms import Synonyms

Ranker = Callable[[str, str | None], list[str]]  # (question, asker's language) -> ids
RRF_K = 60  # the usual constant of reciprocal-rank fusion
DEPTH = 10
logging.getLogger("bm25s").setLevel(logging.ERROR)


def ours(articles: Sequence[Article], synonyms: Synonyms | None = None) -> Ranker:
    index = SearchIndex.build(articles, synonyms=synonyms)

    def rank(query: str, language: str | None) -> list[str]:
        return [hit.article.id for hit in index.search(query, limit=DEPTH, language=language)]

    return rank


def bm25(articles: Sequence[Article], *, with_body: bool) -> Ranker:
    texts = [f"{a.title} {a.body}" if with_body else a.title for a in articles]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)
    ids = [article.id for article in articles]

    def rank(query: str, language: str | None = None) -> list[str]:
        tokens = bm25s.tokenize([query], return_ids=False, show_progress=False)
        if not tokens[0]:
            return []
        k = min(DEPTH, len(ids))
        found, scores = retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [ids[int(i)] for i, s in zip(found[0], scores[0], strict=True) if s > 0]

    return rank


def fuzzy_titles(articles: Sequence[Article]) -> Ranker:
    titles = [utils.default_process(article.title) for article in articles]
    ids = [article.id for article in articles]

    def rank(query: str, language: str | None = None) -> list[str]:
        found = process.extract(
            utils.default_process(query), titles, scorer=fuzz.token_set_ratio, limit=DEPTH
        )
        return [ids[position] for _, _, position in found]

    return rank


def fused(first: Ranker, second: Ranker) -> Ranker:
    def rank(query: str, language: str | None = None) -> list[str]:
        scores: dict[str, float] = {}
        for ranking in (first(query, language), second(query, language)):
            for position, article_id in enumerate(ranking, start=1):
                scores[article_id] = scores.get(article_id, 0.0) + 1 / (RRF_K + position)
        return sorted(scores, key=lambda article_id: -scores[article_id])[:DEPTH]

    return rank


BASELINES = ("bm25 title+body", "bm25 title", "fuzzy title", "fuzzy+bm25 rrf")


def baselines(articles: Sequence[Article]) -> dict[str, Ranker]:
    body, title = bm25(articles, with_body=True), bm25(articles, with_body=False)
    scan = fuzzy_titles(articles)
    return {
        BASELINES[0]: body,
        BASELINES[1]: title,
        BASELINES[2]: scan,
        BASELINES[3]: fused(scan, body),
    }
