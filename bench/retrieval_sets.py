"""The retrieval sets the benchmarks read: articles, questions, distractors, and typo'd copies.

The data is read where it lies (../shared/data/retrieval): its licences do not allow copying it
into this repository. The bundled Primero KB with bench/primero_questions.jsonl is one more set.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kb_index.articles import Article
from kb_index.loader import bundled_kb_path, load_kb
from kb_index.synonyms import Synonyms

PRIMERO_QUESTIONS = Path(__file__).with_name("primero_questions.jsonl")


@dataclass(frozen=True)
class Question:
    query: str
    relevant_ids: frozenset[str]
    kind: str
    language: str | None = None


@dataclass(frozen=True)
class RetrievalSet:
    name: str
    language: str
    articles: list[Article]
    questions: list[Question]
    distractors: list[Article]  # same-domain extras first, then the English ones
    synonyms: Synonyms | None = None  # the KB's synonyms file (only the Primero KB has one)


# (folder, kinds of question kept, language): AIA-BDE's targets are on people's rewordings.
SETS = {
    "stackfaq_en": ("stackfaq_en", None, "en"),
    "aiabde_pt": ("aiabde_pt", "human", "pt"),
    "aiabde_pt_machine": ("aiabde_pt", "machine", "pt"),
    "covidfaq_en": ("covidfaq_en", None, "en"),
}


def _rows(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def read_articles(path: Path, language: str, limit: int | None = None) -> list[Article]:
    """Articles of a JSONL file as they are (distractors have no body: the loader would refuse)."""
    found: list[Article] = []
    for row in _rows(path):
        if limit is not None and len(found) >= limit:
            break
        title, body = str(row["title"]), str(row.get("body") or "")
        found.append(Article(id=str(row["id"]), title=title, body=body, language=language))
    return found


def read_questions(path: Path, kinds: str | None = None) -> list[Question]:
    questions = []
    for row in _rows(path):
        kind = str(row.get("kind", ""))
        if kinds is None or kind.startswith(kinds):
            ids = frozenset(str(i) for i in row["relevant_ids"])  # type: ignore[attr-defined]
            language = row.get("language")
            questions.append(Question(str(row["query"]), ids, kind, language))  # type: ignore[arg-type]
    return questions


def load_set(data: Path, name: str, largest: int) -> RetrievalSet:
    """A set with enough distractors to grow it to `largest` articles."""
    if name == "primero":
        return _primero_set()
    folder, kinds, language = SETS[name]
    articles = read_articles(data / folder / "kb.jsonl", language)
    questions = read_questions(data / folder / "queries.dev.jsonl", kinds)
    wanted = max(0, largest - len(articles))
    extras: list[Article] = []
    own = data / folder / "distractors.jsonl"
    if own.exists():
        extras = read_articles(own, language, wanted)
    extras += read_articles(data / "distractors_en.jsonl", "en", wanted - len(extras))
    return RetrievalSet(name, language, articles, questions, extras)


def _primero_set() -> RetrievalSet:
    loaded = load_kb(bundled_kb_path())
    questions = read_questions(PRIMERO_QUESTIONS)
    return RetrievalSet("primero", "en", loaded.articles, questions, [], loaded.synonyms)


def grown(retrieval_set: RetrievalSet, size: int | None) -> list[Article]:
    """The set's articles, plus distractors up to `size` articles (None: native size)."""
    if size is None:
        return retrieval_set.articles
    missing = max(0, size - len(retrieval_set.articles))
    if missing > len(retrieval_set.distractors):
        raise SystemExit(f"{retrieval_set.name}: not enough distractors for {size} articles")
    return retrieval_set.articles + retrieval_set.distractors[:missing]


# Letters next to each other on a QWERTY keyboard: what a thumb hits instead.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    letter: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in _ROWS
    for i, letter in enumerate(row)
}
EDIT_SHARE = 1 / 3  # of the words of 4+ letters; at least one per question


def with_typos(questions: list[Question], seed: int = 2024) -> list[Question]:
    """Copies with seeded random edits: swapped, dropped, doubled or neighbouring letters."""
    chance = random.Random(seed)
    return [replace(q, query=_typo_question(q.query, chance)) for q in questions]


def _typo_question(query: str, chance: random.Random) -> str:
    tokens = query.split(" ")
    editable = [i for i, token in enumerate(tokens) if sum(c.isalpha() for c in token) >= 4]
    if not editable:
        return query
    chosen = [i for i in editable if chance.random() < EDIT_SHARE] or [chance.choice(editable)]
    for i in chosen:
        tokens[i] = _typo_word(tokens[i], chance)
    return " ".join(tokens)


def _typo_word(word: str, chance: random.Random) -> str:
    # The first letter is kept: people rarely miss it, and it keeps the edits realistic.
    letters = [i for i, c in enumerate(word) if c.isalpha() and i > 0]
    i = chance.choice(letters)
    kind = chance.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower())
    if not near:
        return word[:i] + word[i + 1 :]
    return word[:i] + chance.choice(near) + word[i + 1 :]
