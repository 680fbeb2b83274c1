"""How alike two questions are (0-100), for grouping requests that describe the same problem.

Both texts go through the KB's own normalisation (case and accent folding, stop words, Snowball
stems), then their content stems are matched one to one, a typo'd stem counting as a match. The
score is the Dice overlap: the share of BOTH texts' stems that found a partner. A one-word
question ("password") inside a long one therefore scores low, unlike rapidfuzz's WRatio or
token_set_ratio, which score a subset near 100 — and wrongly telling someone "known issue" is
worse than logging one more request.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA

from kb_index.stopwords import STOP_WORDS
from kb_index.text import content_words, language_key, stem, stop_words, words

TYPO_MIN_LENGTH = 4  # shorter words have too many neighbours one edit away ("log" / "lot")
LONG_WORD = 8  # from this length two edits are still the same word to a reader
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())


Token = tuple[str, str]  # (stem, folded word): stems match forms, words match typos


def tokens(text: str, language: str | None) -> list[Token]:
    """The content words of `text` with their stems, in order (stop words of every language
    when the language is unknown)."""
    key = language_key(language)
    stops = stop_words([key]) if key in STOP_WORDS else ALL_STOP_WORDS
    return [(stem(word, key), word) for word in content_words(words(text), stops)]


def stems(text: str, language: str | None) -> list[str]:
    return [token[0] for token in tokens(text, language)]


def _alike(a: Token, b: Token) -> bool:
    """Same stem, or the words one edit apart (two for long words): a typo of the same word.
    A stem's typo is compared on the word, since Snowball cuts typo'd words unpredictably."""
    if a[0] == b[0]:
        return True
    left, right = a[1], b[1]
    if min(len(left), len(right)) < TYPO_MIN_LENGTH or left.isdigit() or right.isdigit():
        return False
    edits = 2 if min(len(left), len(right)) >= LONG_WORD else 1
    return OSA.distance(left, right, score_cutoff=edits) <= edits


def matched_pairs(left: Sequence[Token], right: Sequence[Token]) -> int:
    """How many stems of `left` find a partner in `right`, each partner used once; exact
    matches are paired first so a typo never takes the partner of an exact word."""
    free = list(right)
    unmatched: list[Token] = []
    count = 0
    for token in left:
        exact = next((other for other in free if other[0] == token[0]), None)
        if exact is not None:
            free.remove(exact)
            count += 1
        else:
            unmatched.append(token)
    for token in unmatched:
        partner = next((other for other in free if _alike(token, other)), None)
        if partner is not None:
            free.remove(partner)
            count += 1
    return count


class StemOverlapSimilarity:
    """Implements the core's TextSimilarity port."""

    def similarity(self, a: str, b: str, *, language: str | None) -> float:
        left, right = tokens(a, language), tokens(b, language)
        if not left or not right:
            return 0.0
        return 200.0 * matched_pairs(left, right) / (len(left) + len(right))
