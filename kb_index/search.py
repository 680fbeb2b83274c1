"""Article search: BM25F candidates, typo-tolerant, re-ranked by fuzzy matching into a 0-100 score."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from kb_index.articles import Article, primary_subtag, same_language
from kb_index.lexical import HEADING_WEIGHTS, LexicalIndex, QueryTerm, Scores, top_documents
from kb_index.meaning import ArticleMeanings, bundled_meanings
from kb_index.question_words import QuestionWords
from kb_index.rerank import Lexical, Matrix, Phrases, calibrated_scores, feature_matrix, rank_values
from kb_index.synonyms import Synonyms
from kb_index.text import content_words, language_key, normalise, stem, stop_words, words
from kb_index.typos import Speller

__all__ = ["SearchHit", "SearchIndex", "normalise"]

# Best of each lexical channel, re-ranked per question. On every retrieval set, native and at
# 100,000 articles, 20 ranks as 40 did: the misses lie deeper than either reaches, and fuzzy
# scoring, the costly part of a question on a small KB, does half the work.
CANDIDATES = 20
# Stop words stay in the index: "what is" against "how do I" tells question types apart in FAQ
# titles. They count for less than the words that carry the topic (0.8 against 0.5 and 1.0: the
# best of the three on the dev questions, with the re-ranker refitted for each).
STOP_WORD_WEIGHT = 0.8
CORRECTION_WEIGHTS = {1: 0.8, 2: 0.6}  # by edit distance: a guess counts less than a match
TRANSLATION_MARGIN = 10.0  # score points a translation must win by to be shown unasked
EXACT = 100.0  # the question is an article's title or alias, word for word


@dataclass(frozen=True)
class SearchHit:
    article: Article
    score: float  # 0-100


@dataclass(frozen=True)
class Candidate:
    """One article version the re-ranker scored: its position, features and score."""

    position: int
    features: tuple[float, ...]
    score: float


class SearchIndex:
    """Every article version indexed on its own, grouped with its translations for answers."""

    def __init__(self, articles: Iterable[Article], synonyms: Synonyms | None = None) -> None:
        self._articles = tuple(articles)
        self._synonyms = synonyms or Synonyms()
        surfaces: Counter[str] = Counter()
        # A title's words serve the index, fuzzy matching and exact matches: split it once (at
        # 100,000 articles, splitting each title three times cost a second of the build).
        titles = [words(article.title) for article in self._articles]
        documents = [
            _document(article, title, surfaces)
            for article, title in zip(self._articles, titles, strict=True)
        ]
        self._lexical = LexicalIndex(documents)
        self._headings = LexicalIndex(documents, HEADING_WEIGHTS, self._lexical.term_ids)
        self._speller = Speller(list(surfaces), list(surfaces.values()))
        vocabulary = self._synonyms.vocabulary()
        self._synonym_speller = Speller(vocabulary, [1] * len(vocabulary))
        self._words = QuestionWords(
            self._lexical.term_ids,
            frozenset(language_key(a.language) for a in self._articles),
            self._speller,
            self._synonym_speller,
            frozenset(vocabulary),
        )
        self._phrases = [
            _phrases(article, title) for article, title in zip(self._articles, titles, strict=True)
        ]
        self._meanings = bundled_meanings()  # loaded once per process, shared by every index
        self._article_meanings = ArticleMeanings(self._articles, self._meanings)
        self._exact = _exact_phrases(self._articles, titles)
        self._group_of, self._groups = _group_translations(self._articles)
        self._by_id = {article.id: position for position, article in enumerate(self._articles)}
        # Each translated article's versions by language, once: comparing language codes per
        # hit cost more than the grouping. Only groups of several versions, which are few: a
        # dict per article grew a 100,000-article index by 18 MB.
        self._translations = {
            group: self._first_in_each_language(members)
            for group, members in enumerate(self._groups)
            if len(members) > 1
        }

    @classmethod
    def build(cls, articles: Iterable[Article], *, synonyms: Synonyms | None = None) -> SearchIndex:
        return cls(articles, synonyms)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._articles

    def __len__(self) -> int:
        return len(self._articles)

    def article(self, article_id: str, *, language: str | None = None) -> Article | None:
        """The article with this id, or its version in `language` when it has one."""
        position = self._by_id.get(article_id)
        if position is None:
            return None
        found = self._articles[position]
        if language is None or same_language(found.language, language):
            return found
        members = self._groups[self._group_of[position]]
        return next((self._articles[m] for m in members if _in(self._articles[m], language)), found)

    @property
    def memory_bytes(self) -> int:
        """The numeric arrays' size (the Python objects around them come on top)."""
        parts = (self._lexical, self._headings, self._speller, self._synonym_speller)
        return sum(part.memory_bytes for part in parts) + self._article_meanings.nbytes

    def search(
        self, query: str, *, limit: int = 10, language: str | None = None
    ) -> list[SearchHit]:
        """Best first; one hit per article and its translations, shown in `language` if it has one."""
        if limit < 1:
            return []
        scored = self._scored(query, language)
        if scored is None:
            return []
        pool, _, found = scored
        scores = dict(zip(pool, found, strict=True))
        best: dict[int, int] = {}  # group -> its best-scoring version
        for position, score in scores.items():
            group = self._group_of[position]
            if group not in best or score > scores[best[group]]:
                best[group] = position
        wanted = None if language is None else primary_subtag(language)
        ranked = [(round(scores[p], 1), g, p) for g, p in best.items()]
        # Ties: a group shown in the user's language first, which it is when it has a version in
        # it (a stable sort keeps the rest in order). Only the hits kept need their version.
        ranked.sort(key=lambda hit: (-hit[0], self._version_in(hit[1], wanted) is None))
        return [
            SearchHit(self._articles[self._shown(group, position, scores, wanted)], score)
            for score, group, position in ranked[:limit]
        ]

    def candidates(self, query: str, *, language: str | None = None) -> list[Candidate]:
        """The re-ranked candidates of every version, unsorted (the benchmark fits on these)."""
        scored = self._scored(query, language)
        if scored is None:
            return []
        pool, values, scores = scored
        rows = values.tolist()
        return [
            Candidate(position, tuple(row), score)
            for position, row, score in zip(pool, rows, scores, strict=True)
        ]

    def _scored(
        self, query: str, language: str | None
    ) -> tuple[list[int], Matrix, list[float]] | None:
        """The candidates' positions, features and scores; None when nothing matched. (A search
        needs no Candidate objects: making them cost more than the grouping of the hits.)"""
        languages, stops = self._words.languages(language_key(language))
        folded = [self._words.spelled(word, languages, stops) for word in words(query)]
        content = content_words(folded, stops)
        if not content:
            return None
        question, added = self._question_terms(folded, content, languages, stops)
        scores, headings = self._lexical.score(question), self._headings.score(question)
        top = top_documents(scores.bm25, CANDIDATES)
        if not len(top):
            return None
        pool = list(
            dict.fromkeys([*top.tolist(), *top_documents(headings.bm25, CANDIDATES).tolist()])
        )
        texts = [" ".join(content)] + ([" ".join([*content, *added])] if added else [])
        values = feature_matrix(
            texts,
            [self._phrases[p] for p in pool],
            _lexical(scores, headings, pool),
            self._article_meanings.cosines(pool, self._meanings.of_question(query)),
        )
        found = calibrated_scores(rank_values(values)).tolist()
        exact = self._exact.get(" ".join(folded), set())
        return pool, values, [EXACT if p in exact else s for p, s in zip(pool, found, strict=True)]

    def _question_terms(
        self,
        folded: Sequence[str],
        content: Sequence[str],
        languages: frozenset[str],
        stops: frozenset[str],
    ) -> tuple[list[QueryTerm], list[str]]:
        """The question's terms, and the words its synonyms add (for fuzzy matching)."""
        weights = {word: STOP_WORD_WEIGHT for word in folded if len(word) > 1 or not word.isalpha()}
        weights |= dict.fromkeys(content, 1.0)
        synonyms, added = self._synonym_terms(folded, languages, stops)
        for word in synonyms:
            weights.setdefault(word, 1.0)
        topical = {*content, *synonyms}
        terms = [
            self._term(word, languages, weight, synonyms.get(word, ()), word in topical)
            for word, weight in weights.items()
        ]
        return terms + self._joined(folded, languages, stops), added

    def _synonym_terms(
        self, folded: Sequence[str], languages: frozenset[str], stops: frozenset[str]
    ) -> tuple[dict[str, tuple[int, ...]], list[str]]:
        """For the first content word of each synonym phrase in the question, the term ids of
        its group's other phrases: one more spelling of that word, not an extra word (an extra
        word would count a group of ten synonyms ten times)."""
        ids: dict[str, dict[int, None]] = {}
        added: list[str] = []
        for found, other in self._synonyms.alternatives(folded):
            head = next((word for word in found if word not in stops), found[0])
            content, known = self._words.synonym_phrase(other, languages, stops)
            added += content
            ids.setdefault(head, {}).update(dict.fromkeys(known))
        return {head: tuple(found) for head, found in ids.items()}, added

    def _joined(
        self, folded: Sequence[str], languages: frozenset[str], stops: frozenset[str]
    ) -> list[QueryTerm]:
        """Two words the KB writes as one ("corona virus", "log in", "e mail")."""
        pairs = (
            first + second
            for first, second in pairwise(folded)
            if first.isalpha() and second.isalpha() and first not in stops
        )
        known = (self._words.known(word, languages) for word in pairs)
        return [QueryTerm(ids) for ids in known if ids]

    def _term(
        self,
        word: str,
        languages: frozenset[str],
        weight: float,
        synonyms: Sequence[int] = (),
        content: bool = True,
    ) -> QueryTerm:
        known = self._words.known(word, languages)
        if known or synonyms:
            return QueryTerm(tuple(dict.fromkeys((*known, *synonyms))), weight, content)
        corrected, distance = self._words.corrected(word, languages)
        if corrected:
            return QueryTerm(corrected, weight * CORRECTION_WEIGHTS.get(distance, 0.5), content)
        return QueryTerm((), weight, content)

    def _first_in_each_language(self, members: tuple[int, ...]) -> dict[str, int]:
        """A group's first version (the original first) in each language it is written in."""
        found: dict[str, int] = {}
        for member in members:
            found.setdefault(primary_subtag(self._articles[member].language), member)
        return found

    def _version_in(self, group: int, wanted: str | None) -> int | None:
        """The group's first version in the language `wanted` (a primary subtag), if any."""
        if wanted is None:
            return None
        translations = self._translations.get(group)
        if translations is not None:
            return translations.get(wanted)
        (only,) = self._groups[group]
        return only if primary_subtag(self._articles[only].language) == wanted else None

    def _shown(self, group: int, best: int, scores: dict[int, float], wanted: str | None) -> int:
        """The version to show: the one in the user's language (`wanted`, a primary subtag);
        without one, the original, unless a translation matched clearly better (a French
        question, say)."""
        members = self._groups[group]
        in_language = self._version_in(group, wanted)
        if in_language is not None:
            return in_language
        original = members[0]
        if scores[best] - scores.get(original, 0.0) > TRANSLATION_MARGIN:
            return best
        return original


def _lexical(scores: Scores, headings: Scores, pool: list[int]) -> Lexical:
    columns = (
        scores.bm25,
        scores.matched_idf,
        headings.bm25,
        headings.matched_idf,
        scores.matched_content_idf,
        headings.matched_content_idf,
    )
    rows = np.asarray(pool)  # once, not once per column
    values = np.column_stack([column[rows] for column in columns]).astype(np.float64)
    wholes = (
        scores.best_possible,
        scores.question_idf,
        headings.best_possible,
        headings.question_idf,
        scores.content_idf,
        headings.content_idf,
    )
    return Lexical(values, wholes)


def _in(article: Article, language: str | None) -> bool:
    return language is not None and same_language(article.language, language)


def _document(article: Article, title: list[str], surfaces: Counter[str]) -> list[list[str]]:
    """The article's terms per field (title, aliases, tags, body), stems in its language."""
    language = language_key(article.language)
    fields = (" ".join(article.aliases), " ".join(article.tags), article.body)
    document = []
    for kept in (title, *map(words, fields)):
        surfaces.update(kept)
        document.append([stem(word, language) for word in kept])
    return document


def _phrases(article: Article, title: list[str]) -> Phrases:
    stops = stop_words([language_key(article.language)])
    aliases = tuple(" ".join(content_words(words(a), stops)) for a in article.aliases)
    return Phrases(" ".join(content_words(title, stops)), aliases)


def _exact_phrases(articles: Sequence[Article], titles: Sequence[list[str]]) -> dict[str, set[int]]:
    """Each title and alias, normalised (`titles`: each title's words), with the versions that
    have it."""
    found: dict[str, set[int]] = {}
    for position, (article, title) in enumerate(zip(articles, titles, strict=True)):
        for phrase in (" ".join(title), *map(normalise, article.aliases)):
            found.setdefault(phrase, set()).add(position)
    return found


def _group_translations(
    articles: Sequence[Article],
) -> tuple[list[int], list[tuple[int, ...]]]:
    """Each version's group, and each group's members with the original first, in load order."""
    numbers: dict[str, int] = {}
    groups: list[list[int]] = []
    group_of = []
    for position, article in enumerate(articles):
        number = numbers.setdefault(article.original_id, len(numbers))
        if number == len(groups):
            groups.append([])
        groups[number].append(position)
        group_of.append(number)
    ordered = [tuple(sorted(g, key=lambda p: articles[p].is_translation)) for g in groups]
    return group_of, ordered
