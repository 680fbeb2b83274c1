"""Text normalisation per language: NFKC, case and accent folding, Arabic letters, tokens, stems."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from kb_index.articles import primary_subtag
from kb_index.stopwords import STOP_WORDS

_ARABIC_MARKS = {code: None for code in (*range(0x064B, 0x0653), 0x0670, 0x0640)}  # + tatweel
_ARABIC_DIGITS = {0x0660 + n: str(n) for n in range(10)} | {0x06F0 + n: str(n) for n in range(10)}
_BEFORE_TOKENS = _ARABIC_MARKS | _ARABIC_DIGITS
# Alef variants, ta marbuta, alef maqsura: spelt either way by the same writer.
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_LATIN_END = 0x0250  # Basic Latin to Latin Extended-B: where accent folding is safe
_STEMMERS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ar": "arabic",
}
_STEMMER_LOCK = threading.Lock()
# The words each stemmer gives back as they are, having none of the letters its rules are
# written in (Latin with its accents and apostrophe; Arabic with its presentation forms): every
# rule starts by matching one. A multilingual KB looks each question word up in every one of its
# languages, and stemming an English word in Arabic, the slowest stemmer, was wasted work.
_NO_LATIN = re.compile("[^a-zA-Z'~\u00c0-\u024f]*")
_UNREAD = {
    "en": _NO_LATIN,
    "fr": _NO_LATIN,
    "es": _NO_LATIN,
    "pt": _NO_LATIN,
    "ar": re.compile("[^\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]*"),
}
MIN_STEM_LENGTH = 3  # shorter words are kept whole: stems of "us", "os" only add noise


def normalise(text: str) -> str:
    """Casefolded, accents and punctuation removed, single spaces: what fuzzy scorers compare."""
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """Every word of `text`, folded (stop words kept)."""
    if not text:  # most fields of an imported FAQ (aliases, tags, often the body) are empty
        return []
    prepared = unicodedata.normalize("NFKC", text).casefold().translate(_BEFORE_TOKENS)
    return [fold(token) for token in _token_pattern().findall(prepared)]


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    """Letters and digits with their combining marks (Devanagari vowel signs are marks, and
    `\\w` alone would cut words there); `_` splits, as snake_case is two words to a user."""
    marks = [code for code in range(0x300, 0x20000) if unicodedata.category(chr(code))[0] == "M"]
    ranges = []
    start = previous = marks[0]
    for code in [*marks[1:], -1]:
        if code != previous + 1:
            ranges.append(f"\\U{start:08x}-\\U{previous:08x}")
            start = code
        previous = code
    return re.compile(f"(?:[^\\W_]|[{''.join(ranges)}])+")


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Accents off Latin letters, Arabic letter variants unified; other scripts untouched."""
    if token.isascii():
        return token
    kept: list[str] = []
    base = 0
    for char in unicodedata.normalize("NFKD", token):
        if unicodedata.combining(char):
            if base < _LATIN_END:
                continue
        else:
            base = ord(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_ARABIC_LETTERS)


def language_key(language: str | None) -> str:
    """The primary subtag that picks stop words and stemmer (`pt-MZ` -> `pt`)."""
    return primary_subtag(language) if language else ""


def stop_words(languages: Iterable[str]) -> frozenset[str]:
    return _stop_words(frozenset(language_key(language) for language in languages))


@lru_cache(maxsize=64)
def _stop_words(languages: frozenset[str]) -> frozenset[str]:
    """Cached: a question asks for the union of its KB's languages three times."""
    found: set[str] = set()
    for language in languages:
        found |= STOP_WORDS.get(language, frozenset())
    return frozenset(found)


def content_words(folded: Sequence[str], stops: frozenset[str]) -> list[str]:
    """The words that are not stop words; all of them when nothing else is left."""
    # A lone Latin letter is an apostrophe's leftover ("what's", "l'export"), not a topic.
    kept = [w for w in folded if w not in stops and not (len(w) == 1 and "a" <= w <= "z")]
    return kept or list(folded)


@lru_cache(maxsize=400_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word in `language`; the word itself where none applies."""
    name = _STEMMERS.get(language)
    if name is None or len(word) <= MIN_STEM_LENGTH or word.isdigit():
        return word
    with _STEMMER_LOCK:  # a Snowball stemmer keeps its word in itself: one caller at a time
        stemmed = _stemmer(name).stemWord(word)
    return stemmed if len(stemmed) >= MIN_STEM_LENGTH else word


@lru_cache(maxsize=16)
def _stemmer(name: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(name)


def stems(word: str, languages: Iterable[str]) -> set[str]:
    """The folded word and its stem in each of `languages`, as `stem` gives them; a stemmer that
    would give the word back as it is (see _UNREAD) is not run at all."""
    return {word} | {stem(word, language) for language in languages if _read(word, language)}


def _read(word: str, language: str) -> bool:
    """Whether the stemmer of `language` may change `word`."""
    unread = _UNREAD.get(language)
    if unread is None:
        return False  # no stemmer: stem() gives the word back
    if word.isascii():  # the usual word, told without a regex: it has no Arabic letter
        return language != "ar"
    return unread.fullmatch(word) is None
