"""Reads KB files (Markdown with YAML front matter, or JSONL) into raw, unchecked entries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FENCE = "---"
YAML_END_MARKERS = (FENCE, "...")


@dataclass(frozen=True)
class KbProblem:
    """Something wrong at `path`, `line` (0: the path as a whole)."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.reason}"
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class RawEntry:
    """One article as written, before its fields are checked."""

    fields: Mapping[str, object]
    body: object
    path: Path
    line: int
    body_line: int
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def claimed_id(self) -> str | None:
        value = self.fields.get("id")
        return (value.strip() or None) if isinstance(value, str) else None


def read_entries(path: Path) -> tuple[list[RawEntry], list[KbProblem]]:
    """Every entry that could be read and parsed, and a problem for each one that could not."""
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        return [], [KbProblem(path, 0, "no such file or folder")]
    if path.suffix == ".jsonl":
        return _read_jsonl(path)
    if path.suffix == ".md":
        return _read_markdown(path)
    return [], [KbProblem(path, 0, "a KB is a folder of Markdown (.md) files or one .jsonl file")]


def _read_folder(root: Path) -> tuple[list[RawEntry], list[KbProblem]]:
    entries: list[RawEntry] = []
    problems: list[KbProblem] = []
    for path in _markdown_files(root):
        found, trouble = _read_markdown(path)
        entries += found
        problems += trouble
    if not entries and not problems:
        problems.append(KbProblem(root, 0, "no Markdown articles (*.md) in this folder"))
    return entries, problems


def _markdown_files(root: Path) -> list[Path]:
    # Hidden folders (.git, editor backups) are not part of the KB.
    return sorted(
        path
        for path in root.rglob("*.md")
        if not path.is_dir()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def _read_text(path: Path) -> str | KbProblem:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return KbProblem(path, 0, f"cannot read the file: {error.strerror or error}")
    try:
        return raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors write
    except UnicodeDecodeError as error:
        return KbProblem(path, raw.count(b"\n", 0, error.start) + 1, _not_utf8(raw, error))


def _not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
    return (
        f"not UTF-8 text (byte 0x{raw[error.start]:02x} at column {column}); save the file as UTF-8"
    )


def _read_markdown(path: Path) -> tuple[list[RawEntry], list[KbProblem]]:
    text = _read_text(path)
    if isinstance(text, KbProblem):
        return [], [text]
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines[0].strip() != FENCE:
        return [], [
            KbProblem(path, 1, "missing front matter: the file must start with a line '---'")
        ]
    closing = next((i for i, line in enumerate(lines) if i and line.strip() in YAML_END_MARKERS), 0)
    if not closing:
        return [], [KbProblem(path, 1, "front matter is never closed by a line '---'")]
    parsed = _parse_front_matter("\n".join(lines[1:closing]), path, first_line=2)
    if isinstance(parsed, KbProblem):
        return [], [parsed]
    fields, key_lines = parsed
    body = "\n".join(lines[closing + 1 :]).strip()
    entry = RawEntry(fields, body, path, line=1, body_line=closing + 2, key_lines=key_lines)
    return [entry], []


def _parse_front_matter(
    text: str, path: Path, *, first_line: int
) -> tuple[dict[str, object], dict[str, int]] | KbProblem:
    """The front matter's fields and the file line of each key (for precise problems)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        where = f" (column {mark.column + 1})" if mark else ""
        return KbProblem(path, line, f"bad YAML: {error.problem or error.context}{where}")
    except yaml.YAMLError as error:
        return KbProblem(path, first_line, f"bad YAML: {error}")
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return KbProblem(path, first_line, "front matter must be `key: value` lines")
    key_lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    return {str(key): value for key, value in data.items()}, key_lines


def _read_jsonl(path: Path) -> tuple[list[RawEntry], list[KbProblem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [KbProblem(path, 0, f"cannot read the file: {error.strerror or error}")]
    entries: list[RawEntry] = []
    problems: list[KbProblem] = []
    # Line by line, so one bad line costs one article and the others still load.
    for number, raw_line in enumerate(raw.split(b"\n"), start=1):
        found = _jsonl_entry(raw_line, path, number)
        if isinstance(found, KbProblem):
            problems.append(found)
        elif found is not None:
            entries.append(found)
    if not entries and not problems:
        problems.append(KbProblem(path, 0, "no articles in this file"))
    return entries, problems


def _jsonl_entry(raw_line: bytes, path: Path, number: int) -> RawEntry | KbProblem | None:
    try:
        text = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as error:
        return KbProblem(path, number, _not_utf8(raw_line, error))
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return KbProblem(path, number, f"bad JSON: {error.msg} (column {error.colno})")
    if not isinstance(data, dict):
        return KbProblem(path, number, "each line must be one JSON object")
    return RawEntry(data, data.get("body"), path, line=number, body_line=number)
