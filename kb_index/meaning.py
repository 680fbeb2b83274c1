"""What a phrase means, roughly: the average of static word vectors (WordLlama's `l2_supercat`).

Lexical matching cannot tell that "where is the closest testing facility" is nearer to "Where can
I get tested?" than to "where is the closest ATM to me", nor that "how do I see hidden files" asks
what "show dotfiles" answers. Averaged word vectors can, a little, at a cost a KB of 100,000
articles can pay: no neural network runs, a phrase is its tokens' vectors averaged (the vectors
were trained to make such averages of paraphrases close). The re-ranker uses the cosine of a
question with each candidate's title, and with the opening of its answer, as two more features
(`kb_index/rerank.py`): on the retrieval sets' dev questions, StackFAQ hit@1 .851 -> .896,
CovidFAQ hit@1 .630 -> .643 and, at 10,000 articles, hit@3 .704 -> .775 (README, "Against the
targets", for what they cost).

The vectors (32,000 tokens x 256, MIT licence) ship inside the `wordllama` wheel on PyPI, so a
fresh install needs no model hub. Its files are read directly: importing `wordllama` would
configure the root logger, and the bot owns its logging.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load
from tokenizers import Tokenizer

from kb_index.articles import Article

Vector = npt.NDArray[np.float32]
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
# The vectors the re-ranker's weights were fitted with (wordllama 0.2.2 to 0.4 ship this file).
WEIGHTS_SHA256 = "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5"
# Characters of an answer's start (where an FAQ says what it is about) whose meaning is compared
# with the question's: a first guess, not tuned (CovidFAQ hit@1 on held-out halves .608 -> .640).
ANSWER_OPENING = 300
CHUNK = 256  # phrases pooled at once: their token vectors (~4 MB of titles, ~18 MB of answers)
# The tokenizer's worker threads each keep a heap of their own: 44 MB more resident after
# indexing 100,000 titles, for no gain in build time on 2 cores. An operator's setting wins.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class MeaningModelMissingError(RuntimeError):
    """The word vectors are not installed (the `wordllama` package or its files)."""


@dataclass(frozen=True)
class PhraseMeanings:
    """Many phrases' unit vectors, each stored as int8 codes times a scale of its own: a quarter
    of float32's memory (26 MB for 100,000 titles), cosines off by at most ~0.003."""

    codes: npt.NDArray[np.int8]
    scales: npt.NDArray[np.float32]

    @classmethod
    def quantised(cls, vectors: npt.NDArray[np.float32]) -> PhraseMeanings:
        largest = np.abs(vectors).max(axis=1)
        scales = np.where(largest > 0, largest / 127, 1.0).astype(np.float32)
        codes = np.rint(vectors / scales[:, None]).astype(np.int8)
        return cls(codes, scales)

    @property
    def nbytes(self) -> int:
        return self.codes.nbytes + self.scales.nbytes

    def cosines(self, rows: Sequence[int], question: Vector) -> npt.NDArray[np.float64]:
        """The cosine of `question` (unit length) with each of these phrases."""
        picked = np.asarray(rows)
        found: npt.NDArray[np.float32] = self.codes[picked].astype(np.float32) @ question
        cosines: npt.NDArray[np.float64] = (found * self.scales[picked]).astype(np.float64)
        return cosines


class ArticleMeanings:
    """Per article, the vectors the re-ranker compares a question with: its title's and its
    answer's opening's (the first ANSWER_OPENING characters of the body)."""

    def __init__(self, articles: Sequence[Article], meanings: Meanings) -> None:
        # Titles only: with the aliases too (the best of several phrases), short questions in
        # French, Spanish or Arabic met some alias by chance, and the bundled KB lost hit@1.
        self._titles = meanings.of_phrases([article.title for article in articles])
        # Answers only where there is a body: an article without one (an imported FAQ of
        # titles) is compared by its title again, which needs no second vector.
        answered = [position for position, article in enumerate(articles) if article.body]
        self._answers = meanings.of_phrases([articles[p].body[:ANSWER_OPENING] for p in answered])
        self._answer_row = np.full(len(articles), -1, np.int32)
        self._answer_row[answered] = np.arange(len(answered), dtype=np.int32)

    @property
    def nbytes(self) -> int:
        return self._titles.nbytes + self._answers.nbytes + self._answer_row.nbytes

    def cosines(self, positions: Sequence[int], question: Vector) -> npt.NDArray[np.float64]:
        """Two columns, one row per article at `positions`: the cosine of `question` with its
        title, and with its answer's opening."""
        titles = self._titles.cosines(positions, question)
        answers = titles.copy()  # an article without a body: its title stands for its answer
        rows = self._answer_row[positions]
        has_body = rows >= 0
        if has_body.any():
            answers[has_body] = self._answers.cosines(rows[has_body].tolist(), question)
        both: npt.NDArray[np.float64] = np.column_stack([titles, answers])
        return both


class Meanings:
    """Phrases as unit vectors whose dot product says how alike they are in meaning."""

    def __init__(self, vectors: npt.NDArray[np.float32], tokenizer: Tokenizer) -> None:
        self._vectors = vectors
        self._tokenizer = tokenizer

    @classmethod
    def from_files(cls, weights: Path, tokenizer: Path) -> Meanings:
        raw = weights.read_bytes()
        if hashlib.sha256(raw).hexdigest() != WEIGHTS_SHA256:
            # Other vectors would silently change every score the fitted weights assume.
            raise MeaningModelMissingError(
                f"the word vectors at {weights} are not the ones article search was fitted "
                "with: reinstall supportbot (it pins the `wordllama` release that has them)"
            )
        loaded = load(raw)
        # Stored in float16; kept in float32 (33 MB): numpy converts float16 one element at a
        # time, and converting the gathered rows tripled the time to index 100,000 titles.
        vectors = np.ascontiguousarray(loaded["embedding.weight"], dtype=np.float32)
        reading = Tokenizer.from_file(str(tokenizer))
        reading.no_padding()
        reading.no_truncation()
        return cls(vectors, reading)

    @property
    def dimensions(self) -> int:
        return int(self._vectors.shape[1])

    def of_phrases(self, phrases: Sequence[str]) -> PhraseMeanings:
        """Each phrase's mean token vector, unit length (zero for a phrase with no token)."""
        codes = np.zeros((len(phrases), self.dimensions), np.int8)
        scales = np.ones(len(phrases), np.float32)
        words: dict[str, list[int]] = {}  # this call's words, tokenized once
        for start in range(0, len(phrases), CHUNK):
            chunk = list(phrases[start : start + CHUNK])
            part = PhraseMeanings.quantised(self._pooled(self._token_ids(chunk, words)))
            codes[start : start + len(chunk)] = part.codes
            scales[start : start + len(chunk)] = part.scales
        return PhraseMeanings(codes, scales)

    def token_ids(self, phrase: str) -> list[int]:
        """The phrase's tokens, as the tokenizer gives them for the whole phrase."""
        ids: list[int] = self._tokenizer.encode(phrase, add_special_tokens=False).ids
        return ids

    def _token_ids(self, phrases: list[str], words: dict[str, list[int]]) -> list[list[int]]:
        """Each phrase's tokens, built from its words' tokens: titles share most of their words,
        and tokenizing each word once took 100,000 titles from 2.2 s to 0.7 s. The same tokens
        as the whole phrase's: the tokenizer turns every space into "▁" and starts a word's
        token with it, and no token goes on past one word's end (checked on 103,000 titles and
        by a test); phrases with runs of spaces ("▁▁" is a token) are tokenized whole."""
        split = [None if _irregular_spacing(p) else p.split(" ") for p in phrases]
        new = list({w: None for parts in split if parts for w in parts if w not in words})
        encoded = self._tokenizer.encode_batch(new, add_special_tokens=False) if new else []
        words.update(zip(new, (e.ids for e in encoded), strict=True))
        return [
            self.token_ids(phrase) if parts is None else [i for w in parts for i in words[w]]
            for phrase, parts in zip(phrases, split, strict=True)
        ]

    def of_question(self, question: str) -> Vector:
        """One phrase's vector, in float32 (no batch: a question is one short text)."""
        ids = self.token_ids(question)
        # Summed directly: the batch path's bookkeeping costs more than the sum for one phrase.
        summed: Vector = self._vectors[ids].sum(axis=0)
        norm = float(np.linalg.norm(summed))
        return summed / norm if norm > 0 else summed

    def _pooled(self, token_ids: list[list[int]]) -> npt.NDArray[np.float32]:
        lengths = np.fromiter((len(ids) for ids in token_ids), np.int64, len(token_ids))
        flat = np.fromiter((i for ids in token_ids for i in ids), np.int64, int(lengths.sum()))
        sums = np.zeros((len(token_ids), self.dimensions), np.float32)
        filled = lengths > 0
        if filled.any():
            starts = np.concatenate([[0], np.cumsum(lengths[filled])[:-1]])
            sums[filled] = np.add.reduceat(self._vectors[flat], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0  # a phrase with no token stays the zero vector
        sums /= norms
        return sums


def _irregular_spacing(phrase: str) -> bool:
    return not phrase or "  " in phrase or phrase[0] == " " or phrase[-1] == " "


_bundled: Meanings | None = None
_loading = threading.Lock()


def bundled_meanings() -> Meanings:
    """The vectors from the installed `wordllama` wheel, loaded once per process (47 MB resident
    with the tokenizer)."""
    global _bundled
    with _loading:
        if _bundled is None:
            root = _wordllama_folder()
            _bundled = Meanings.from_files(root / WEIGHTS, root / TOKENIZER)
        return _bundled


def _wordllama_folder() -> Path:
    spec = importlib.util.find_spec("wordllama")  # finds the package without running it
    folders = list(spec.submodule_search_locations or ()) if spec else []
    for folder in map(Path, folders):
        if (folder / WEIGHTS).is_file() and (folder / TOKENIZER).is_file():
            return folder
    raise MeaningModelMissingError(
        "the word vectors for article search are missing: reinstall supportbot "
        "(they come with its dependency `wordllama`)"
    )
