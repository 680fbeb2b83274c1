"""The BM25F index: field weights, per-field length normalisation, several spellings of a word."""

from __future__ import annotations

import numpy as np
import pytest

from kb_index import lexical
from kb_index.lexical import LexicalIndex, QueryTerm, top_documents


def doc(title: str = "", aliases: str = "", tags: str = "", body: str = "") -> list[list[str]]:
    return [text.split() for text in (title, aliases, tags, body)]


def ranking(index: LexicalIndex, *words: str) -> list[int]:
    question = [QueryTerm((index.term_ids[word],)) for word in words if word in index.term_ids]
    return top_documents(index.score(question).bm25, 10).tolist()


def test_a_word_in_the_title_outweighs_the_same_word_in_a_body() -> None:
    index = LexicalIndex(
        [doc(title="export", body="other words here"), doc(title="other", body="export data")]
    )

    assert ranking(index, "export") == [0, 1]


def test_title_only_articles_do_not_sink_articles_with_long_bodies() -> None:
    # Each field is normalised by its own average length, over the articles that have it:
    # a thousand bodiless titles leave the real article's body weighed as before.
    article = doc(title="sync failed offline", body=" ".join(["sync offline records"] * 40))
    bodiless = [doc(title=f"unrelated title number {n}") for n in range(1000)]
    grown = LexicalIndex([article, *bodiless, doc(title="sync")])

    assert ranking(grown, "sync", "offline")[0] == 0


def test_a_rare_word_counts_more_than_a_common_one() -> None:
    index = LexicalIndex(
        [doc(title="case record"), doc(title="case transfer"), doc(title="case note")]
    )

    assert ranking(index, "case", "transfer")[0] == 1


def test_several_spellings_of_one_word_count_once_per_document() -> None:
    index = LexicalIndex([doc(title="password mot passe"), doc(title="password reset")])
    ids = index.term_ids
    both = index.score([QueryTerm((ids["password"], ids["mot"]))])
    one = index.score([QueryTerm((ids["password"],))])

    assert both.bm25[0] == max(one.bm25[0], index.score([QueryTerm((ids["mot"],))]).bm25[0])


def test_a_document_with_none_of_the_words_is_not_a_candidate() -> None:
    index = LexicalIndex([doc(title="alpha"), doc(title="beta")])

    assert ranking(index, "alpha") == [0]
    assert top_documents(np.zeros(2, np.float32), 10).tolist() == []


def test_coverage_is_the_share_of_the_question_found() -> None:
    index = LexicalIndex([doc(title="alpha beta"), doc(title="alpha gamma")])
    ids = index.term_ids
    scores = index.score([QueryTerm((ids["alpha"],)), QueryTerm((ids["beta"],))])

    assert scores.matched_idf[0] == scores.question_idf
    assert 0 < scores.matched_idf[1] < scores.question_idf


def word_by_word(index: LexicalIndex, question: list[QueryTerm]) -> list[np.ndarray]:
    """The sums as adding each word's postings in turn, in float32, would make them."""
    bm25, matched, content = (np.zeros(index.size, np.float32) for _ in range(3))
    for word in question:
        best = np.zeros(index.size, np.float32)
        for term_id in word.term_ids:
            docs, impacts = index.postings(term_id)
            best[docs] = np.maximum(best[docs], impacts)
        docs = np.flatnonzero(best)
        idf = max((float(index.idf[t]) for t in word.term_ids), default=0.0)
        bm25[docs] += best[docs] * word.weight
        matched[docs] += idf * word.weight
        if word.content:
            content[docs] += idf * word.weight
    return [bm25, matched, content]


def test_scores_are_exactly_those_of_adding_the_words_one_by_one() -> None:
    # Every word's postings are added in one go; the float32 sums must not move by a bit, or
    # ties between articles and scores at a rounding edge would change.
    words = [
        "sync",
        "offline",
        "records",
        "case",
        "transfer",
        "note",
        "export",
        "excel",
        "password",
        "reset",
    ]
    documents = [
        doc(title=" ".join(words[n % 7 : n % 7 + 3]), body=" ".join(words[n % 5 :] * (n % 3 + 1)))
        for n in range(40)
    ]
    index = LexicalIndex(documents)
    ids = index.term_ids
    question = [
        QueryTerm((ids["sync"],), 1.0),
        QueryTerm((ids["case"],), 0.8, content=False),
        QueryTerm((ids["export"], ids["excel"], ids["note"]), 1.0),  # one word, three spellings
        QueryTerm((), 1.0),  # a word the KB does not know
        QueryTerm((ids["reset"],), 0.48),  # a guessed correction
        QueryTerm((ids["records"], ids["offline"]), 0.8, content=False),
    ]

    for _ in range(2):  # the second time, the merged spellings come from what the index kept
        scores = index.score(question)
        found = [scores.bm25, scores.matched_idf, scores.matched_content_idf]
        for got, expected in zip(found, word_by_word(index, question), strict=True):
            assert np.array_equal(got, expected)


def test_merged_spellings_stay_right_when_what_the_index_keeps_is_emptied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lexical, "MERGED_KEPT", 4)  # 50 postings entries: emptied every few words
    index = LexicalIndex([doc(title=f"word{n} other{n} common") for n in range(50)])
    ids = index.term_ids
    asked = [QueryTerm((ids["word1"], ids["common"]))]
    first = index.score(asked).bm25.copy()
    for n in range(50):
        index.score([QueryTerm((ids[f"word{n}"], ids[f"other{n}"], ids["common"]))])

    assert np.array_equal(index.score(asked).bm25, first)
    assert np.array_equal(first, word_by_word(index, asked)[0])
