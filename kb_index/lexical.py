"""A field-aware sparse lexical index (BM25F): title, aliases, tags and body, each normalised alone."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class FieldWeight:
    """How much a word in this field counts, and how much the field's length discounts it."""

    weight: float
    b: float


# Titles and aliases say what an article is about; a body mentions much in passing. Each field
# is normalised by its own average length, over the articles that have it: title-only articles
# (imported FAQs, distractors) then neither inflate nor sink articles with long bodies.
FIELD_WEIGHTS = (
    FieldWeight(weight=3.0, b=0.5),  # title
    FieldWeight(weight=2.5, b=0.5),  # aliases
    FieldWeight(weight=2.0, b=0.3),  # tags
    FieldWeight(weight=1.0, b=0.75),  # body
)
K1 = 1.2
# How many postings entries an index keeps of words spelt several ways (a synonym group, stems in
# several languages), merged: a question's synonyms recur from question to question, and merging
# a dozen posting lists was half the cost of scoring a question on a small KB. This many at most,
# or one dense score array's worth on a KB with more articles.
MERGED_KEPT = 1 << 16

# Only what says what an article is about: for a second opinion that bodies cannot sway.
HEADING_WEIGHTS = FIELD_WEIGHTS[:3]

# One document as the index sees it: for each field of the weights, its terms in order.
Document = Sequence[Sequence[str]]


@dataclass(frozen=True)
class QueryTerm:
    """One word of a question: the index terms that may stand for it, and its weight."""

    term_ids: tuple[int, ...]
    weight: float = 1.0
    content: bool = True  # False for a stop word


class Word(NamedTuple):
    """One question word in one index: its idf, and the documents it is in with its impact."""

    idf: float
    docs: IntArray
    impacts: FloatArray


@dataclass(frozen=True)
class Scores:
    """Per document: the BM25F score, and the idf mass of the question's words it contains."""

    bm25: FloatArray
    matched_idf: FloatArray
    best_possible: float  # the score of a document that matched every word without limit
    question_idf: float
    matched_content_idf: FloatArray  # like matched_idf, over the content words only
    content_idf: float


class LexicalIndex:
    """Postings of term -> (document, impact), the impact being the term's BM25F score there."""

    def __init__(
        self,
        documents: Sequence[Document],
        weights: Sequence[FieldWeight] = FIELD_WEIGHTS,
        term_ids: dict[str, int] | None = None,
    ) -> None:
        """`term_ids`: share another index's vocabulary (and grow it), so one question's term
        ids work on both."""
        self.size = len(documents)
        self.term_ids = {} if term_ids is None else term_ids
        averages = _average_lengths(documents, len(weights))
        terms, docs, pseudo_tf = array("i"), array("i"), array("f")
        for position, document in enumerate(documents):
            for term, value in _pseudo_frequencies(document, weights, averages).items():
                terms.append(self.term_ids.setdefault(term, len(self.term_ids)))
                docs.append(position)
                pseudo_tf.append(value)
        self._build_postings(np.frombuffer(terms, np.int32), docs, pseudo_tf)

    def _build_postings(self, terms: IntArray, docs: array[int], pseudo_tf: array[float]) -> None:
        order = np.argsort(terms, kind="stable")
        counts = np.bincount(terms, minlength=len(self.term_ids)).astype(np.int64)
        self._start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.document_frequency = counts.astype(np.int32)
        self.idf = np.log1p((self.size - counts + 0.5) / (counts + 0.5)).astype(np.float32)
        self._docs = np.frombuffer(docs, np.int32)[order]
        tf = np.frombuffer(pseudo_tf, np.float32)[order]
        saturated = tf * (K1 + 1) / (tf + K1)
        self._impacts = (saturated * np.repeat(self.idf, counts)).astype(np.float32)
        self._unseen_idf = float(np.log1p((self.size + 0.5) / 0.5))
        self._merged: dict[tuple[int, ...], Word] = {}
        self._merged_kept = 0

    @property
    def unseen_idf(self) -> float:
        return self._unseen_idf

    def postings(self, term_id: int) -> tuple[IntArray, FloatArray]:
        start, end = self._start[term_id], self._start[term_id + 1]
        return self._docs[start:end], self._impacts[start:end]

    def score(self, question: Sequence[QueryTerm]) -> Scores:
        """Sum over the question's words of the best impact among each word's terms."""
        found = _Matches()
        best = total_idf = content_idf = 0.0
        for word in question:
            idf, docs, impacts = self._word(word.term_ids)
            total_idf += idf * word.weight
            content_idf += idf * word.weight * word.content
            best += idf * word.weight * (K1 + 1)
            if len(docs):
                found.add(docs, impacts * word.weight, idf * word.weight, word.content)
        bm25, matched, matched_content = found.sums(self.size)
        return Scores(bm25, matched, best, total_idf, matched_content, content_idf)

    def _word(self, term_ids: tuple[int, ...]) -> Word:
        """A word's idf (its rarest spelling's), and the documents it is in with its impact."""
        if not term_ids:
            # A word the KB never uses is the rarest of all: it counts fully in what is missing.
            return Word(self._unseen_idf, self._docs[:0], self._impacts[:0])
        if len(term_ids) == 1:
            return Word(float(self.idf[term_ids[0]]), *self.postings(term_ids[0]))
        found = self._merged.get(term_ids)
        if found is None:
            found = self._merge(term_ids)
            if self._merged_kept + len(found.docs) > max(MERGED_KEPT, self.size):
                self._merged.clear()
                self._merged_kept = 0
            self._merged[term_ids] = found
            self._merged_kept += len(found.docs)
        return found

    def _merge(self, term_ids: tuple[int, ...]) -> Word:
        """Several spellings of one word count once: each document keeps its best."""
        postings = [self.postings(term_id) for term_id in term_ids]
        every_doc = np.concatenate([docs for docs, _ in postings])
        best = np.zeros(self.size, np.float32)
        np.maximum.at(best, every_doc, np.concatenate([values for _, values in postings]))
        docs = np.flatnonzero(best).astype(np.int32)
        impacts = best[docs]
        docs.flags.writeable = impacts.flags.writeable = False  # shared by later questions
        return Word(max(float(self.idf[t]) for t in term_ids), docs, impacts)

    @property
    def memory_bytes(self) -> int:
        return int(self._docs.nbytes + self._impacts.nbytes + self._start.nbytes + self.idf.nbytes)


class _Matches:
    """The documents each word of a question matched, summed per document once all are known.

    One scatter-add per sum over every word's postings, not three per word: on a small KB a
    numpy call costs more than the additions it makes. `np.add.at` adds in the order given, word
    after word in float32, so the sums are those of adding word by word."""

    def __init__(self) -> None:
        self.docs: list[IntArray] = []
        self.impacts: list[FloatArray] = []
        self.idfs: list[float] = []  # one per word: added to each document it matched
        self.content: list[bool] = []

    def add(self, docs: IntArray, impacts: FloatArray, idf: float, content: bool) -> None:
        self.docs.append(docs)
        self.impacts.append(impacts)
        self.idfs.append(idf)
        self.content.append(content)

    def sums(self, size: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Per document: the summed impacts, the matched idf, and the matched idf of the
        content words."""
        bm25 = np.zeros(size, np.float32)
        matched = np.zeros(size, np.float32)
        matched_content = np.zeros(size, np.float32)
        if not self.docs:
            return bm25, matched, matched_content
        docs = np.concatenate(self.docs)
        np.add.at(bm25, docs, np.concatenate(self.impacts))
        lengths = [len(part) for part in self.docs]
        idfs = np.repeat(np.asarray(self.idfs, np.float32), lengths)
        np.add.at(matched, docs, idfs)
        if all(self.content):
            np.add.at(matched_content, docs, idfs)
        elif any(self.content):
            content = np.repeat(np.asarray(self.content), lengths)
            np.add.at(matched_content, docs[content], idfs[content])
        return bm25, matched, matched_content


def _average_lengths(documents: Sequence[Document], fields: int) -> list[float]:
    """Each field's mean length over the documents where it is not empty."""
    totals = [0] * fields
    present = [0] * fields
    for document in documents:
        for field, terms in enumerate(document[:fields]):
            if terms:
                totals[field] += len(terms)
                present[field] += 1
    return [total / count if count else 1.0 for total, count in zip(totals, present, strict=True)]


def _pseudo_frequencies(
    document: Document, weights: Sequence[FieldWeight], averages: Sequence[float]
) -> dict[str, float]:
    """BM25F's weighted, length-normalised term frequency, summed over the fields."""
    combined: dict[str, float] = {}
    for terms, field, average in zip(document, weights, averages, strict=False):
        if not terms:
            continue
        norm = field.weight / (1 - field.b + field.b * len(terms) / average)
        for term, count in Counter(terms).items():
            combined[term] = combined.get(term, 0.0) + count * norm
    return combined


def top_documents(scores: FloatArray, limit: int) -> IntArray:
    """Indexes of the `limit` best-scoring documents with a score above 0, best first."""
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > limit:
        keep = np.argpartition(-scores[candidates], limit - 1)[:limit]
        candidates = candidates[keep]
    order = np.argsort(-scores[candidates], kind="stable")
    return candidates[order].astype(np.int32)
