"""A KB's synonyms file: groups of words or phrases that mean the same to the search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb_index.reading import KbProblem
from kb_index.text import words

FILE_NAME = "synonyms.txt"
COMMENT = "#"


@dataclass(frozen=True)
class Synonyms:
    """Each group lists phrases (tuples of folded words) that may stand for one another."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    _by_first_word: dict[str, list[tuple[tuple[str, ...], int]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for number, group in enumerate(self.groups):
            for phrase in group:
                self._by_first_word.setdefault(phrase[0], []).append((phrase, number))

    def vocabulary(self) -> list[str]:
        """Every word of every phrase, once."""
        return list(dict.fromkeys(word for group in self.groups for p in group for word in p))

    def alternatives(
        self, question: Sequence[str]
    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(phrase found in `question`, another phrase of its group) for every group with a
        phrase in the question (a list of folded words)."""
        found: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for start, word in enumerate(question):
            for phrase, number in self._by_first_word.get(word, ()):
                if tuple(question[start : start + len(phrase)]) == phrase:
                    found += [(phrase, other) for other in self.groups[number] if other != phrase]
        return list(dict.fromkeys(found))


def synonyms_path(kb_path: Path) -> Path:
    """`synonyms.txt` in a KB folder; `NAME.synonyms.txt` beside a `NAME.jsonl` KB."""
    if kb_path.is_dir():
        return kb_path / FILE_NAME
    return kb_path.with_name(f"{kb_path.stem}.{FILE_NAME}")


def read_synonyms(kb_path: Path) -> tuple[Synonyms, list[KbProblem]]:
    """The KB's synonyms (none when it has no file), and a problem for each bad line."""
    path = synonyms_path(kb_path)
    if not path.is_file():
        return Synonyms(), []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return Synonyms(), [KbProblem(path, 0, f"cannot read the synonyms file: {error}")]
    groups: list[tuple[tuple[str, ...], ...]] = []
    problems: list[KbProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split(COMMENT, 1)[0].strip()
        if not content:
            continue
        phrases = tuple(
            dict.fromkeys(p for p in (tuple(words(x)) for x in content.split(",")) if p)
        )
        if len(phrases) < 2:
            reason = "a synonym line needs two or more words or phrases, separated by commas"
            problems.append(KbProblem(path, number, reason))
        else:
            groups.append(phrases)
    return Synonyms(tuple(groups)), problems
