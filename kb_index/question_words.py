"""What an index knows of a question's words: term ids, spelling guesses, synonym phrases.

Each is worked out once per word and language set, and remembered by the index: on a small KB
this analysis (stems in every KB language, speller look-ups) cost more than the search itself,
and questions keep using the same words.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from kb_index.text import content_words, stems, stop_words
from kb_index.typos import Speller

WORDS_KEPT = 20_000  # analyses remembered of each kind, per index

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")
WordKey = tuple[str, frozenset[str]]  # a folded word, and the languages it is looked up in
PhraseKey = tuple[tuple[str, ...], frozenset[str]]  # a synonym phrase, and the same languages
Languages = tuple[frozenset[str], frozenset[str]]  # language keys, and their stop words


class _Memo(Generic[Key, Value]):
    """A plain dict, not functools.lru_cache on a method: that would tie the index into a
    reference cycle, and a replaced index (a KB reload) would linger until the cycle collector
    ran. Emptied when full: the words that matter come back."""

    def __init__(self, size: int = WORDS_KEPT) -> None:
        self._found: dict[Key, Value] = {}
        self._size = size

    def get(self, key: Key) -> Value | None:
        return self._found.get(key)

    def put(self, key: Key, value: Value) -> Value:
        if len(self._found) >= self._size:
            self._found.clear()
        self._found[key] = value
        return value


class QuestionWords:
    """The analysis of question words against one index's vocabulary and spellers."""

    def __init__(
        self,
        term_ids: dict[str, int],
        kb_languages: frozenset[str],
        speller: Speller,
        synonym_speller: Speller,
        synonym_words: frozenset[str],
    ) -> None:
        self._term_ids = term_ids
        self._kb_languages = kb_languages
        self._speller = speller
        self._synonym_speller = synonym_speller
        self._synonym_words = synonym_words
        self._languages: dict[str, Languages] = {}
        self._known = _Memo[WordKey, tuple[int, ...]]()
        self._spellings = _Memo[WordKey, str]()
        self._corrections = _Memo[WordKey, tuple[tuple[int, ...], int]]()
        self._phrases = _Memo[PhraseKey, tuple[tuple[str, ...], tuple[int, ...]]]()

    def languages(self, key: str) -> Languages:
        """The KB's languages and the question's (`key`), and their stop words: worked out once
        per language, so a question neither rebuilds them nor hashes them again."""
        found = self._languages.get(key)
        if found is None:
            languages = self._kb_languages | {key}
            found = self._languages.setdefault(key, (languages, stop_words(languages)))
        return found

    def known(self, word: str, languages: frozenset[str]) -> tuple[int, ...]:
        """The term ids of the word and of its stem in each of `languages`."""
        found = self._known.get((word, languages))
        if found is None:
            ids = self._term_ids
            found = tuple(ids[s] for s in stems(word, languages) if s in ids)
            self._known.put((word, languages), found)
        return found

    def spelled(self, word: str, languages: frozenset[str], stops: frozenset[str]) -> str:
        """The synonyms file's word a misspelt word stands for ("fermerr": "fermer"); other
        words as they are (misspelt KB words are corrected per term, where the KB knows them).
        `stops` are the stop words of `languages`."""
        found = self._spellings.get((word, languages))
        if found is not None:
            return found
        if word in self._synonym_words or word in stops or self.known(word, languages):
            return self._spellings.put((word, languages), word)
        corrections = self._synonym_speller.corrections(word, limit=1)
        return self._spellings.put((word, languages), corrections[0][0] if corrections else word)

    def corrected(self, word: str, languages: frozenset[str]) -> tuple[tuple[int, ...], int]:
        """The term ids of the likeliest KB word a word the KB does not know stands for, and
        their edit distance; no ids when there is no guess."""
        found = self._corrections.get((word, languages))
        if found is not None:
            return found
        for correction, distance in self._speller.corrections(word):
            known = self.known(correction, languages)
            if known:
                return self._corrections.put((word, languages), (known, distance))
        return self._corrections.put((word, languages), ((), 0))

    def synonym_phrase(
        self, phrase: tuple[str, ...], languages: frozenset[str], stops: frozenset[str]
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """A synonym phrase's content words, and their term ids one word after the other."""
        found = self._phrases.get((phrase, languages))
        if found is None:
            content = tuple(content_words(phrase, stops))
            known = tuple(i for word in content for i in self.known(word, languages))
            found = self._phrases.put((phrase, languages), (content, known))
        return found
