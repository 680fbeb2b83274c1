"""Loads a KB: checks every article's fields and ids, keeps the clean ones, reports the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from kb_index.articles import Article
from kb_index.reading import KbProblem, RawEntry, read_entries
from kb_index.synonyms import Synonyms, read_synonyms

__all__ = ["KbLoad", "KbProblem", "bundled_kb_path", "load_kb"]

# language[-Script][-REGION][-variant...]: enough of BCP 47 to catch "english" or "pt_BR".
LANGUAGE_CODE = re.compile(
    r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
)
DEFAULT_LANGUAGE = "en"


@dataclass
class KbLoad:
    """The articles that loaded cleanly, the KB's synonyms, and every problem found on the way."""

    articles: list[Article] = field(default_factory=list)
    problems: list[KbProblem] = field(default_factory=list)
    synonyms: Synonyms = field(default_factory=Synonyms)

    @property
    def ok(self) -> bool:
        return not self.problems


def bundled_kb_path() -> Path:
    """The sample KB shipped inside the package (a data folder, not a package)."""
    resource = files("kb_index").joinpath("sample_kb")
    if not isinstance(resource, Path):
        raise RuntimeError("the bundled KB must be installed as plain files, not inside a zip")
    return resource


def load_kb(path: Path) -> KbLoad:
    """Load every article under `path` and its synonyms file; an article with any problem is
    left out."""
    entries, problems = read_entries(path)
    synonyms, synonym_problems = read_synonyms(path)
    problems += synonym_problems
    candidates = [_article_from(entry, problems) for entry in entries]
    rejected = _check_ids(entries, problems)
    articles = [
        article
        for index, article in enumerate(candidates)
        if article is not None and index not in rejected
    ]
    problems.sort(key=lambda problem: (str(problem.path), problem.line))
    return KbLoad(articles=articles, problems=problems, synonyms=synonyms)


def _article_from(entry: RawEntry, problems: list[KbProblem]) -> Article | None:
    """The article, or None after adding to `problems` what is wrong with its fields."""
    found: list[KbProblem] = []
    article_id = _text(entry, "id", found, required=True)
    title = _text(entry, "title", found, required=True)
    language = _language(entry, found)
    tags = _text_list(entry, "tags", found)
    aliases = _text_list(entry, "aliases", found)
    optional = {key: _text(entry, key, found) for key in ("translation_of", "url", "audience")}
    body = _body(entry, found)
    problems += found
    if found or article_id is None or title is None or body is None:
        return None
    return Article(
        id=article_id,
        title=title,
        body=body,
        tags=tags,
        aliases=aliases,
        language=language,
        translation_of=optional["translation_of"],
        url=optional["url"],
        audience=optional["audience"],
        source=entry.path,
        line=entry.line,
    )


def _language(entry: RawEntry, found: list[KbProblem]) -> str:
    language = _text(entry, "language", found) or DEFAULT_LANGUAGE
    if not LANGUAGE_CODE.fullmatch(language):
        reason = f"unknown language code format {language!r} (use a BCP 47 code: en, fr, pt-MZ…)"
        found.append(_problem(entry, "language", reason))
    return language


def _problem(entry: RawEntry, key: str, reason: str) -> KbProblem:
    return KbProblem(entry.path, entry.line_of(key), reason)


def _text(
    entry: RawEntry, key: str, found: list[KbProblem], *, required: bool = False
) -> str | None:
    value = entry.fields.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value is not None and not isinstance(value, str):
        found.append(_problem(entry, key, f"{key} must be a string, not {_kind(value)}"))
    elif required:
        found.append(_problem(entry, key, f"missing {key}"))
    return None


def _text_list(entry: RawEntry, key: str, found: list[KbProblem]) -> tuple[str, ...]:
    value = entry.fields.get(key)
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    found.append(_problem(entry, key, f"{key} must be a list of strings, like [a, b]"))
    return ()


def _body(entry: RawEntry, found: list[KbProblem]) -> str | None:
    body = entry.body
    if isinstance(body, str) and body.strip():
        return body.strip()
    if body is None or isinstance(body, str):
        reason = "empty body"
    else:
        reason = f"body must be a string, not {_kind(body)}"
    found.append(KbProblem(entry.path, entry.body_line, reason))
    return None


def _kind(value: object) -> str:
    return type(value).__name__


def _check_ids(entries: list[RawEntry], problems: list[KbProblem]) -> set[int]:
    """Indexes of entries whose id is taken twice or whose `translation_of` leads nowhere."""
    first_with_id: dict[str, int] = {}
    rejected: set[int] = set()
    for index, entry in enumerate(entries):
        article_id = entry.claimed_id()
        if article_id is None:
            continue
        first = first_with_id.setdefault(article_id, index)
        if first != index:
            problems += _duplicate(article_id, entries[first], entry)
            rejected |= {first, index}
    for index, entry in enumerate(entries):
        problem = _bad_translation_of(entry, entries, first_with_id)
        if problem is not None:
            problems.append(problem)
            rejected.add(index)
    return rejected


def _duplicate(article_id: str, first: RawEntry, again: RawEntry) -> Iterable[KbProblem]:
    yield _problem(first, "id", f"id {article_id!r} is used again at {_place(again)}")
    yield _problem(again, "id", f"duplicate id {article_id!r}: first used at {_place(first)}")


def _place(entry: RawEntry) -> str:
    return f"{entry.path}:{entry.line_of('id')}"


def _bad_translation_of(
    entry: RawEntry, entries: list[RawEntry], first_with_id: Mapping[str, int]
) -> KbProblem | None:
    target = entry.fields.get("translation_of")
    if not isinstance(target, str) or not target.strip():
        return None
    target = target.strip()
    if target == entry.claimed_id():
        return _problem(entry, "translation_of", "translation_of names the article itself")
    if target not in first_with_id:
        return _problem(entry, "translation_of", f"translation_of names no article: {target!r}")
    if entries[first_with_id[target]].fields.get("translation_of"):
        # Translations are grouped under their original; a chain would split the group.
        return _problem(
            entry,
            "translation_of",
            f"translation_of must name an original, but {target!r} is itself a translation",
        )
    return None
