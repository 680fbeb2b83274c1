"""Re-ranking of lexical candidates: fuzzy matching fused with BM25F into a calibrated 0-100 score."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

FEATURES = (
    "lexical",  # BM25F score / the score of a perfect match of every question word
    "coverage",  # share of the question's idf mass found in the article
    "heading",  # like lexical, over title, aliases and tags only
    "heading_coverage",  # like coverage, over title, aliases and tags only
    "title_set",  # token_set_ratio of question and title (content words)
    "title_sort",  # token_sort_ratio: punishes missing and extra words, forgives word order
    "phrase_set",  # best token_set_ratio over the title and aliases
    "phrase_ratio",  # best plain ratio over the title and aliases: near-duplicates, typos
)
# Fitted by `bench/search_quality.py --fit` on the dev questions of the retrieval sets: WEIGHTS
# rank (pairwise logistic loss: the right article above each wrong one, each set counting the
# same), then SCALE and OFFSET turn that rank value into P(the article answers the question),
# with questions of other sets as out-of-scope negatives (Platt scaling).
WEIGHTS = (20.848, -6.142, 9.268, 3.648, 0.804, 0.264, 0.804, 3.487)
SCALE = 0.2871
OFFSET = -4.3626


@dataclass(frozen=True)
class Phrases:
    """What fuzzy matching compares for one article: its title and aliases, content words only."""

    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexical:
    """One candidate's lexical evidence, over all fields and over the headings only."""

    bm25: float
    matched_idf: float
    best_possible: float
    question_idf: float
    heading_bm25: float
    heading_matched_idf: float
    heading_best_possible: float
    heading_question_idf: float


def features(question: str, phrases: Phrases, lexical: Lexical) -> tuple[float, ...]:
    """The values of FEATURES, each in 0..1, for one question and one candidate."""
    titles = (phrases.title, *phrases.aliases)
    return (
        _ratio(lexical.bm25, lexical.best_possible),
        _ratio(lexical.matched_idf, lexical.question_idf),
        _ratio(lexical.heading_bm25, lexical.heading_best_possible),
        _ratio(lexical.heading_matched_idf, lexical.heading_question_idf),
        fuzz.token_set_ratio(question, phrases.title) / 100,
        fuzz.token_sort_ratio(question, phrases.title) / 100,
        max(fuzz.token_set_ratio(question, text) for text in titles) / 100,
        max(fuzz.ratio(question, text) for text in titles) / 100,
    )


def rank_value(values: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    """What candidates are ordered by: the fitted linear fusion of their features."""
    return sum(w * v for w, v in zip(weights, values, strict=True))


def calibrated_score(rank: float, scale: float = SCALE, offset: float = OFFSET) -> float:
    """0-100: the fitted probability, in percent, that the article answers the question."""
    return 100 / (1 + math.exp(-(scale * rank + offset)))


def _ratio(part: float, whole: float) -> float:
    return min(1.0, part / whole) if whole > 0 else 0.0
