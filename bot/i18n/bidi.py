"""Right-to-left messages that keep their order on Telegram, Slack and other bidi renderers.

An Arabic sentence that contains `SR-42`, `10:00`, a person's Latin-script name or "Primero" is
laid out by the reader's client with the Unicode bidi algorithm, and the neutral characters
around such runs (`-`, `:`, `.`, parentheses) take the direction of their neighbours: `SR-42`
shows as `42-SR` and a sentence's full stop jumps to the wrong end. Two tools fix that:

* Each such run, and every value put into a template, goes in a first-strong isolate
  (U+2068 ... U+2069): it is laid out on its own in its own direction and moves as one block.
* Each line starts with a right-to-left mark (U+200F) and its body sits in a right-to-left
  isolate (U+2067 ... U+2069). Telegram picks a message's direction from its first strong
  character, so a line that starts with a reference would otherwise be shown left-to-right; the
  mark makes it right-to-left. A client that lays every message out left-to-right whatever it
  contains (as Slack's does) still orders the isolate's content right-to-left, so the sentence
  reads correctly even though it stays aligned to the left.

The marks are invisible and count as format characters (Unicode category Cf); the core's
`clean_text` strips that category from what users type, so they never come back in.
"""

from __future__ import annotations

import re

FSI = "\u2068"  # FIRST STRONG ISOLATE
RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
RLM = "\u200f"  # RIGHT-TO-LEFT MARK
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Primero's right-to-left locales (ar, ar-IQ, ..., fa-AF, ku, ps-AF, aeb) and a few more.
RTL_LANGUAGES = frozenset({"ar", "aeb", "fa", "he", "ku", "ps", "ur", "yi"})

# A word of Latin letters or digits, inner punctuation allowed (`SR-42`, `10:00`, `v2.1`), and a
# leading `/`, `@` or `#` kept with it (`/status`, `@supportbot`).
_LATIN_WORD = (
    r"[/@#]?[0-9A-Za-z\u00c0-\u024f](?:[0-9A-Za-z\u00c0-\u024f@#_./:+-]*[0-9A-Za-z\u00c0-\u024f])?"
)
# A {placeholder} is left alone (its value is isolated when it is filled in); a run of Latin
# words and numbers, with the spaces between them, becomes one isolate.
_PLACEHOLDER_OR_LATIN_RUN = re.compile(
    r"(\{[^{}]*\})|(" + _LATIN_WORD + r"(?: +" + _LATIN_WORD + ")*)"
)


def is_rtl(language: str) -> bool:
    return language.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES


def isolate(value: str) -> str:
    """`value` as one block in its own direction, whatever surrounds it."""
    return f"{FSI}{value}{PDI}" if value else value


def isolate_latin_runs(template: str) -> str:
    """A right-to-left template with its own Latin words and numbers isolated, placeholders kept."""

    def wrap(match: re.Match[str]) -> str:
        placeholder, run = match.groups()
        return placeholder if placeholder is not None else isolate(run)

    return _PLACEHOLDER_OR_LATIN_RUN.sub(wrap, template)


def right_to_left(text: str) -> str:
    """Every line shown right-to-left, whatever its first character and the client's default.

    A line without letters (a list separator such as "، ") is left bare: it has no direction of
    its own and is usually joined into another message."""
    return "\n".join(
        f"{RLM}{RLI}{line}{PDI}" if any(char.isalpha() for char in line) else line
        for line in text.split("\n")
    )


def strip_bidi_controls(text: str) -> str:
    """The text without bidi marks and isolates (for comparisons and plain-text logs)."""
    return "".join(char for char in text if char not in BIDI_CONTROLS)
