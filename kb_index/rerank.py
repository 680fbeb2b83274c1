"""Re-ranking of lexical candidates: fuzzy matching fused with BM25F into a calibrated 0-100 score."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

Matrix = npt.NDArray[np.float64]
Scorer = Callable[..., float]

FEATURES = (
    "lexical",  # BM25F score / the score of a perfect match of every question word
    "coverage",  # share of the question's idf mass found in the article
    "heading",  # like lexical, over title, aliases and tags only
    "heading_coverage",  # like coverage, over title, aliases and tags only
    "title_set",  # token_set_ratio of question and title (content words)
    "title_sort",  # token_sort_ratio: punishes missing and extra words, forgives word order
    "phrase_set",  # best token_set_ratio over the title and aliases
    "phrase_ratio",  # best plain ratio over the title and aliases: near-duplicates, typos
    "content_coverage",  # like coverage, over the question's content words only
    "heading_content_coverage",  # like heading_coverage, over the content words only
    "meaning",  # cosine of the question's and the title's averaged word vectors (meaning.py)
    "answer_meaning",  # the same with the first 300 characters of the answer (the body)
)
# Fitted on the dev questions of the retrieval sets: exactly what `python -m bench.fit_ranker
# <data>` prints (27 November, with the "meaning" features). WEIGHTS rank (pairwise logistic loss:
# the right article above each wrong one, each set counting the same), then SCALE and OFFSET turn
# that rank value into P(the article answers the question), with questions of other sets as
# out-of-scope negatives (Platt scaling).
WEIGHTS = (12.973, -0.973, 3.788, 5.036, 0.148, 0.874, 0.148, 2.475, -1.730, 0.339, 4.784, 1.956)
SCALE = 0.3230
OFFSET = -4.7591


@dataclass(frozen=True)
class Phrases:
    """What fuzzy matching compares for one article: its title and aliases, content words only."""

    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexical:
    """The candidates' lexical evidence (one row per candidate), over all fields and headings.

    Columns: BM25F score and matched idf over all fields, the same over the headings, then the
    matched idf of the content words over all fields and over the headings; each is divided by
    its `whole` (a perfect score, the question's idf) to fall in 0..1."""

    values: Matrix  # candidates x 6
    wholes: tuple[float, ...]


def feature_matrix(
    questions: Sequence[str], phrases: Sequence[Phrases], lexical: Lexical, meaning: Matrix
) -> Matrix:
    """The values of FEATURES, each in 0..1, one row per candidate: for each fuzzy feature the
    best over `questions` (the question as written, or with its synonyms); `meaning` holds each
    candidate's cosines with the question (kb_index/meaning.py: title, answer), a negative one
    counted as 0."""
    wholes = np.asarray(lexical.wholes, np.float64)
    safe = np.where(wholes > 0, wholes, 1.0)
    ratios = np.where(wholes > 0, np.minimum(1.0, lexical.values / safe), 0.0)
    every = [text for p in phrases for text in (p.title, *p.aliases)]
    starts = np.cumsum([0] + [1 + len(p.aliases) for p in phrases[:-1]])  # where titles are
    # Filled in place: on a few dozen candidates, numpy's fixed cost per call is what a question
    # pays, and stacking columns twice took as long as two of the three fuzzy scorers.
    values = np.empty((len(phrases), len(FEATURES)))
    values[:, :4] = ratios[:, :4]
    values[:, 8:10] = ratios[:, 4:]
    values[:, 10:12] = np.clip(meaning, 0.0, 1.0)
    # One C loop per scorer over all candidates: a Python call per pair costs more than the match.
    set_ratios = _best(questions, every, fuzz.token_set_ratio)
    values[:, 4] = set_ratios[starts]
    values[:, 5] = _best(questions, [p.title for p in phrases], fuzz.token_sort_ratio)
    values[:, 6] = np.maximum.reduceat(set_ratios, starts)
    values[:, 7] = np.maximum.reduceat(_best(questions, every, fuzz.ratio), starts)
    values[:, 4:8] /= 100
    return values


def _best(questions: Sequence[str], choices: Sequence[str], scorer: Scorer) -> Matrix:
    """Each choice's best score over the questions, as float64 (rapidfuzz's own float32 first)."""
    scores = process.cdist(questions, choices, scorer=scorer)
    best: Matrix = (scores[0] if len(questions) == 1 else scores.max(axis=0)).astype(np.float64)
    return best


def rank_values(values: Matrix, weights: Sequence[float] = WEIGHTS) -> Matrix:
    """What candidates are ordered by: the fitted linear fusion of their features."""
    ranked: Matrix = values @ np.asarray(weights, np.float64)
    return ranked


def calibrated_scores(rank: Matrix, scale: float = SCALE, offset: float = OFFSET) -> Matrix:
    """0-100: the fitted probability, in percent, that the article answers the question."""
    scores: Matrix = 100 / (1 + np.exp(-(scale * rank + offset)))
    return scores
