"""The BM25F index: field weights, per-field length normalisation, several spellings of a word."""

from __future__ import annotations

import numpy as np

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
