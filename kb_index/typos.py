"""Typo-tolerant lookup: the KB words one or two edits away from a word the KB does not know."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

MIN_LENGTH = 4  # shorter words have too many neighbours to guess which one was meant
LONG_WORD = 8  # from this length two edits are still a confident guess


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter left out."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _keys(variants: Iterable[str]) -> npt.NDArray[np.int64]:
    # hash() is salted per process; the index lives in memory only, so that is fine.
    return np.fromiter((hash(variant) for variant in variants), np.int64)


class Speller:
    """Finds known words near an unknown one (SymSpell's one-deletion neighbourhood).

    Two words within one edit (dropped, doubled, swapped or replaced letter) share a form with at
    most one letter deleted from each; a sorted array of those forms' hashes finds them in
    microseconds, even among the hundreds of thousands of words of a large KB."""

    def __init__(self, words: Sequence[str], frequencies: Sequence[int]) -> None:
        self._words = list(words)
        self._frequencies = list(frequencies)
        owners: list[int] = []
        variants: list[str] = []
        for position, word in enumerate(self._words):
            if len(word) < MIN_LENGTH - 1 or word.isdigit():
                continue
            forms = _deletions(word)
            variants += forms
            owners += [position] * len(forms)
        keys = _keys(variants)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._owners = np.asarray(owners, np.int32)[order]

    def corrections(self, word: str, limit: int = 2) -> list[tuple[str, int]]:
        """Up to `limit` known words nearest to `word`, with their edit distance; most used first."""
        if len(word) < MIN_LENGTH or word.isdigit() or not len(self._keys):
            return []
        keys = _keys(_deletions(word))
        left = np.searchsorted(self._keys, keys, side="left")
        right = np.searchsorted(self._keys, keys, side="right")
        owners = {int(o) for a, b in zip(left, right, strict=True) for o in self._owners[a:b]}
        allowed = 2 if len(word) >= LONG_WORD else 1
        found = []
        for owner in owners:
            distance = OSA.distance(word, self._words[owner], score_cutoff=allowed)
            if distance <= allowed:
                found.append((distance, -self._frequencies[owner], self._words[owner]))
        found.sort()
        return [(known, distance) for distance, _, known in found[:limit]]

    @property
    def memory_bytes(self) -> int:
        return int(self._keys.nbytes + self._owners.nbytes)
