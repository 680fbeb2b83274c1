"""Guesses the language of a short question from its script, function words, accents and letters.

Field users write 2-8 words, often without accents, with typos and Primero's English terms mixed
in ("sync offline bloquee"). A sentence-trained detector sees too little text there, so this one
leans on what short messages do carry: the script (Arabic), the small closed-class words every
sentence needs (articles, pronouns, prepositions, negation, question words) and the accents that
only some languages use, with letter n-grams learned from our own translated messages to break
ties. It answers None when unsure, and the bot then keeps its default language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.i18n.function_words import ACCENT_HINTS, FUNCTION_WORDS, LOANWORDS

_ARABIC_LETTER = re.compile(
    r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]"
)
_WORD = re.compile(r"[^\W\d_]+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
NGRAM_SIZES = (1, 2, 3)
MIN_LETTERS = 4  # "ok", "SR-42", "?": nothing to go on

# Weights of the three kinds of evidence, in log-odds units per word.
FUNCTION_WORD_WEIGHT = 2.0
NGRAM_WEIGHT = 1.0
ACCENT_WEIGHT = 1.0
# Below this probability the guess is None. On bench/language_messages.jsonl 0.5 keeps wrong
# guesses near 1% and abstains on 4%; 0.75 makes none but abstains on 10% (bench/language_detection.py).
MIN_CONFIDENCE = 0.5


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    """Lower-case words without accents; apostrophes split (j'ai -> j, ai), as users omit them."""
    return _WORD.findall(strip_accents(text.casefold()))


def ngrams(word: str) -> Iterable[str]:
    padded = f" {word} "
    for size in NGRAM_SIZES:
        for start in range(len(padded) - size + 1):
            gram = padded[start : start + size]
            if gram.strip():
                yield gram


@dataclass(frozen=True)
class Guess:
    language: str | None
    confidence: float
    scores: Mapping[str, float]


class LetterModel:
    """Per-language letter n-gram frequencies (add-one smoothed), learned from sample texts."""

    def __init__(self, samples: Mapping[str, Iterable[str]]) -> None:
        self._counts: dict[str, Counter[str]] = {}
        for language, texts in samples.items():
            counts: Counter[str] = Counter()
            for text in texts:
                for word in words_of(_PLACEHOLDER.sub(" ", text)):
                    counts.update(ngrams(word))
            self._counts[language] = counts
        vocabulary = set().union(*self._counts.values()) if self._counts else set()
        self._vocabulary = max(len(vocabulary), 1)
        self._totals = {language: sum(c.values()) for language, c in self._counts.items()}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._counts)

    def word_scores(self, word: str) -> dict[str, float]:
        """Mean log-probability of the word's n-grams in each language."""
        grams = list(ngrams(word))
        scores = {}
        for language, counts in self._counts.items():
            total = self._totals[language] + self._vocabulary
            logs = [math.log((counts[g] + 1) / total) for g in grams]
            scores[language] = sum(logs) / max(len(logs), 1)
        return scores


class HeuristicDetector:
    """The `LanguageDetector` port for en, fr, es, pt and ar without any model download."""

    def __init__(self, letters: LetterModel, *, min_confidence: float = MIN_CONFIDENCE) -> None:
        self._letters = letters
        self._languages = tuple(dict.fromkeys(("ar", *letters.languages)))
        self._min_confidence = min_confidence

    @classmethod
    def trained_on(
        cls, texts: Mapping[str, Iterable[str]], *, min_confidence: float = MIN_CONFIDENCE
    ) -> HeuristicDetector:
        """Letters learned from `texts` (e.g. the message catalogue) plus the function words."""
        samples = {
            language: [*texts.get(language, ()), *FUNCTION_WORDS.get(language, ())]
            for language in FUNCTION_WORDS
        }
        return cls(LetterModel(samples), min_confidence=min_confidence)

    def detect(self, text: str) -> str | None:
        return self.guess(text).language

    def guess(self, text: str) -> Guess:
        arabic = len(_ARABIC_LETTER.findall(text))
        if arabic >= 2:
            # Only Arabic among our languages uses this script; Latin words beside it are
            # Primero's English terms ("offline", "login").
            return Guess("ar", 1.0, {"ar": 1.0})
        words = [word for word in words_of(text) if word not in LOANWORDS]
        if sum(len(word) for word in words) < MIN_LETTERS:
            return Guess(None, 0.0, {})
        scores = self._evidence(text, words)
        probabilities = softmax(scores)
        best = max(probabilities, key=probabilities.__getitem__)
        confident = probabilities[best] >= self._min_confidence
        return Guess(best if confident else None, probabilities[best], probabilities)

    def _evidence(self, text: str, words: Sequence[str]) -> dict[str, float]:
        latin = [language for language in self._languages if language != "ar"]
        scores = dict.fromkeys(latin, 0.0)
        for word in words:
            owners = [lang for lang in latin if word in FUNCTION_WORDS.get(lang, ())]
            for language in owners:
                scores[language] += FUNCTION_WORD_WEIGHT / len(owners)
            letters = self._letters.word_scores(word)
            top = max(letters.values())
            # A longer word says more, though not in proportion: its n-grams overlap.
            for language in latin:
                scores[language] += NGRAM_WEIGHT * (letters[language] - top) * len(word) ** 0.5
        for char in text.casefold():
            for language in ACCENT_HINTS.get(char, ()):
                if language in scores:
                    scores[language] += ACCENT_WEIGHT / len(ACCENT_HINTS[char])
        return scores


def softmax(scores: Mapping[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exps = {language: math.exp(score - top) for language, score in scores.items()}
    total = sum(exps.values())
    return {language: value / total for language, value in exps.items()}
