"""The help article as the knowledge base holds it, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One article in one language; `source` and `line` say where it was written."""

    id: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    language: str = "en"
    translation_of: str | None = None
    url: str | None = None
    audience: str | None = None
    source: Path | None = None
    line: int = 1

    @property
    def original_id(self) -> str:
        """The id shared by an article and all its translations."""
        return self.translation_of or self.id

    @property
    def is_translation(self) -> bool:
        return self.translation_of is not None


def same_language(first: str, second: str) -> bool:
    """True when two BCP 47 codes name the same language (`pt` and `pt-MZ` do)."""
    return primary_subtag(first) == primary_subtag(second)


def primary_subtag(language: str) -> str:
    return language.split("-", 1)[0].casefold()
