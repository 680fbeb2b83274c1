"""Telegram HTML: article Markdown turned into readable text, escaping, and safe message splitting."""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterable
from functools import lru_cache

MESSAGE_LIMIT = 4096  # Telegram's limit on a message's text, in UTF-16 code units
ARTICLES_KEPT = 1024  # rendered article bodies kept: a KB's worth, in each language

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|!\[(?P<alt>[^\]]*)\]\([^)]*\)"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<bold>[^*]+)\*\*|__(?P<bold2>[^_]+)__"
    r"|(?<![\w*])\*(?P<italic>[^*\s][^*]*)\*(?![\w*])"
)
# A tag, an entity, a line break, a run of words; a stray "<" or "&" stands alone.
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|\n|[^<&\n]+|[<&]")
_WORD = re.compile(r"\S+\s*|\s+")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z-]+)")


def escape(text: str) -> str:
    """Text safe inside a Telegram HTML message (only <, > and & are special there)."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji can count twice)."""
    if text.isascii():  # most text, and one code unit a character: no need to encode
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """What Telegram's 4,096 limit counts of an HTML message: the text after entity parsing,
    so tags count nothing and `&amp;` counts one."""
    return telegram_length(_visible(html_text))


def inline_html(text: str) -> str:
    """Inline Markdown (code, links, bold, italic) as Telegram HTML; everything else escaped."""
    parts: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_inline_element(match))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def _inline_element(match: re.Match[str]) -> str:
    found = match.groupdict()
    if found["code"] is not None:
        return f"<code>{escape(found['code'])}</code>"
    if found["alt"] is not None:
        return escape(found["alt"])
    if found["label"] is not None:
        if not found["href"].lower().startswith(("https://", "http://")):
            return escape(found["label"])  # web pages only: no javascript:, tg:// or file:
        href = html.escape(found["href"], quote=True)
        return f'<a href="{href}">{escape(found["label"])}</a>'
    bold = found["bold"] or found["bold2"]
    if bold is not None:
        return f"<b>{escape(bold)}</b>"
    return f"<i>{escape(found['italic'] or '')}</i>"


@lru_cache(maxsize=ARTICLES_KEPT)  # the same few articles are shown again and again
def markdown_to_html(markdown: str) -> str:
    """An article body as a phone shows it best: headings bold, steps as plain numbered lines
    (renumbered, since Markdown authors often write "1." for every step), bullets as "•"."""
    lines: list[str] = []
    step = 0
    fence: list[str] | None = None
    for raw in markdown.splitlines():
        if _FENCE.match(raw):
            if fence is None:
                fence = []
            else:
                lines.append(f"<pre>{escape(chr(10).join(fence))}</pre>")
                fence = None
            continue
        if fence is not None:
            fence.append(raw)
            continue
        line, step = _block_line(raw, step)
        if line is not None:
            lines.append(line)
    if fence is not None:  # an unclosed fence: keep its text
        lines.append(f"<pre>{escape(chr(10).join(fence))}</pre>")
    return _collapse_blank_lines(lines)


def _block_line(raw: str, step: int) -> tuple[str | None, int]:
    """One Markdown line as HTML, and the number of the last step of the current list."""
    if not raw.strip():
        return "", step  # a blank line inside a list does not restart its numbering
    if _RULE.match(raw):
        return None, 0
    if heading := _HEADING.match(raw):
        return f"<b>{inline_html(heading.group(1))}</b>", 0
    if numbered := _NUMBERED.match(raw):
        return f"{step + 1}. {inline_html(numbered.group(1))}", step + 1
    if bullet := _BULLET.match(raw):
        return f"• {inline_html(bullet.group(1))}", step
    if quote := _QUOTE.match(raw):
        return inline_html(quote.group(1)), 0
    return inline_html(raw.strip()), 0


def _collapse_blank_lines(lines: Iterable[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut Telegram HTML into messages of at most `limit` UTF-16 units of visible text each (as
    Telegram counts: tags count nothing, an entity one), so an answer that fits is one message.

    Cuts at a line break when one is in the second half of the message, else between words,
    else between characters; never inside a tag or an entity such as `&amp;`. Tags still open at
    a cut are closed there and opened again at the start of the next message."""
    if visible_length(text) <= limit:
        return [text] if text.strip() else []
    return _Splitter(limit).split(text)


class _Splitter:
    """One pass over the atoms. Each atom's length is computed once and the lengths are kept as
    running totals, so choosing a cut does not add the message up again (a long answer has
    about a thousand atoms)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[str] = []
        self.atoms: list[str] = []
        self.ends: list[int] = []  # visible length up to and including each atom
        self.stacks: list[tuple[str, ...]] = []  # open tags after each atom
        self.open: tuple[str, ...] = ()  # the open tags themselves, outermost first
        self.reopened = 0  # atoms at the start that only reopen tags cut at the last message
        self.length = 0

    def split(self, text: str) -> list[str]:
        pending = deque(_atoms(text))
        while pending:
            atom = pending.popleft()
            size = _atom_length(atom)
            fits = self.length + size <= self.limit
            if fits or len(self.atoms) <= self.reopened:
                self._add(atom, size, pending, fits)
            else:
                pending.appendleft(atom)
                pending.extendleft(reversed(self._cut()))
        self._flush(len(self.atoms))
        return [chunk for chunk in self.chunks if _visible(chunk).strip()]

    def _add(self, atom: str, size: int, pending: deque[str], fits: bool) -> None:
        if not fits and not _is_tag(atom) and len(atom) > 1:
            # Longer than a whole message: only its first characters go here.
            room = self.limit - self.length
            head = _prefix_within(atom, max(room, 1))
            pending.appendleft(atom[len(head) :])
            atom, size = head, _atom_length(head)
        if _is_tag(atom):
            if atom.startswith("</"):
                self.open = self.open[:-1]
            elif not atom.endswith("/>"):
                self.open = (*self.open, atom)
        self.length += size
        self.atoms.append(atom)
        self.ends.append(self.length)
        self.stacks.append(self.open)

    def _cut(self) -> list[str]:
        """Close the current message at the best break; return the atoms that move on."""
        keep = len(self.atoms)
        half = self.limit // 2
        for index in range(len(self.atoms) - 1, -1, -1):
            if self.atoms[index] == "\n" and self.ends[index] >= half:
                keep = index + 1
                break
        moved = self.atoms[keep:]
        self._flush(keep)
        return moved

    def _flush(self, keep: int) -> None:
        if keep == 0:
            return
        still_open = self.stacks[keep - 1]
        body = "".join(self.atoms[:keep]).strip("\n")
        closing = "".join(f"</{_TAG_NAME.findall(tag)[0]}>" for tag in reversed(still_open))
        self.chunks.append(body + closing)
        # What is carried over only reopens tags: it counts nothing.
        self.atoms, self.stacks = list(still_open), [still_open] * len(still_open)
        self.ends = [0] * len(still_open)
        self.open = still_open
        self.reopened = len(still_open)
        self.length = 0


def _atoms(text: str) -> list[str]:
    atoms: list[str] = []
    for token in _TOKEN.findall(text):
        if token.startswith(("<", "&")) or token == "\n":
            atoms.append(escape(token) if token in ("<", "&") else token)
        else:
            atoms.extend(_WORD.findall(token))
    return atoms


def _atom_length(atom: str) -> int:
    """A tag counts nothing; an entity (`&amp;`) one character; text its UTF-16 units."""
    if _is_tag(atom):
        return 0
    return telegram_length(html.unescape(atom)) if atom.startswith("&") else telegram_length(atom)


def _is_tag(atom: str) -> bool:
    return atom.startswith("<") and atom.endswith(">")


def _is_opening(atom: str) -> bool:
    return _is_tag(atom) and not atom.startswith("</") and not atom.endswith("/>")


def _prefix_within(text: str, room: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += telegram_length(char)
        if used > room:
            return text[:index] or text[0]
    return text


def _visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^<>]*>", "", fragment))
