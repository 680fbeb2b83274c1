"""`python -m bot.i18n.sync`: writes supportbot.pot from `ENGLISH` and merges it into each .po file.

Keys are the msgids and the English text is the translators' extracted comment (`#.`). New keys
arrive untranslated, removed ones become obsolete (`#~`), and a translation whose English text
changed is flagged fuzzy so that a translator looks at it again. `--check` changes nothing and
exits 1 when a file is out of date (for CI and pre-commit).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.core.catalogue import ENGLISH
from bot.i18n.catalogue import DOMAIN, LOCALE_DIR, TRANSLATED_LANGUAGES, po_path

HEADERS = {
    "fr": "French, polite (vous), Primero's French UI terms.",
    "es": "Spanish, polite (usted), Primero's Spanish UI terms.",
    "pt": "Portuguese as used in Mozambique (Primero pt-MZ): polite, European spelling.",
    "ar": "Modern Standard Arabic, polite; keep {placeholders} and Latin terms as they are.",
}
# Lines that change on every run and say nothing about the messages.
_VOLATILE = (b'"POT-Creation-Date:', b'"PO-Revision-Date:')


@dataclass(frozen=True)
class FileStatus:
    path: Path
    changed: bool
    untranslated: tuple[str, ...]
    fuzzy: tuple[str, ...]


def english_comment(text: str) -> list[str]:
    return text.splitlines() or [""]


def flat(comments: Sequence[str]) -> str:
    """A comment as one string, whatever line wrapping a .po file gave it."""
    return " ".join(" ".join(comments).split())


def build_template(english: Mapping[str, str]) -> Catalog:
    template = Catalog(domain=DOMAIN, project="supportbot", fuzzy=False)
    template.header_comment = "# supportbot messages: msgid is the key, #. is the English text."
    for key, text in english.items():
        # No python-brace-format flag: Babel sets it from the msgid, and ours is the key.
        template.add(key, "", auto_comments=english_comment(text))
    return template


def merge(template: Catalog, existing: Catalog | None, language: str) -> Catalog:
    """The language's catalogue brought up to date with the template."""
    if existing is None:
        existing = Catalog(locale=language, domain=DOMAIN, project="supportbot", fuzzy=False)
    before = {m.id: flat(m.auto_comments) for m in existing if m.id and m.string}
    # Keys are identifiers: a "similar" key says nothing about its text, so no fuzzy guesses.
    existing.update(template, no_fuzzy_matching=True, update_creation_date=False)
    for message in existing:
        old = before.get(message.id)
        if old is not None and old != flat(message.auto_comments):
            message.flags.add("fuzzy")
    existing.header_comment = f"# supportbot messages in {language}: {HEADERS.get(language, '')}"
    return existing


def render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=False)
    return out.getvalue()


def stable(content: bytes) -> list[bytes]:
    return [line for line in content.splitlines() if not line.startswith(_VOLATILE)]


def write_if_changed(path: Path, content: bytes, *, check: bool) -> bool:
    if path.exists() and stable(path.read_bytes()) == stable(content):
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return True


def read_catalog(path: Path, language: str) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def sync(
    locale_dir: Path = LOCALE_DIR,
    languages: Sequence[str] = TRANSLATED_LANGUAGES,
    english: Mapping[str, str] = ENGLISH,
    *,
    check: bool = False,
) -> list[FileStatus]:
    template = build_template(english)
    pot = locale_dir / f"{DOMAIN}.pot"
    statuses = [FileStatus(pot, write_if_changed(pot, render(template), check=check), (), ())]
    for language in languages:
        path = po_path(locale_dir, language)
        merged = merge(template, read_catalog(path, language), language)
        changed = write_if_changed(path, render(merged), check=check)
        untranslated = tuple(str(m.id) for m in merged if m.id and not m.string)
        fuzzy = tuple(str(m.id) for m in merged if m.id and m.string and m.fuzzy)
        statuses.append(FileStatus(path, changed, untranslated, fuzzy))
    return statuses


def describe(status: FileStatus, check: bool) -> str:
    verb = ("out of date" if check else "updated") if status.changed else "up to date"
    line = f"{status.path}: {verb}"
    if status.untranslated:
        line += f"; untranslated: {', '.join(status.untranslated)}"
    if status.fuzzy:
        line += f"; fuzzy: {', '.join(status.fuzzy)}"
    return line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n.sync", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    statuses = sync(check=args.check)
    for status in statuses:
        print(describe(status, args.check))
    return 1 if args.check and any(s.changed for s in statuses) else 0


if __name__ == "__main__":
    sys.exit(main())
