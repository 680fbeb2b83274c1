"""Slack's own words (modals, /support help, App Home) from the core's catalogue, per language.

Everything the desk says comes from the core's catalogue too; these are the `slack.*` keys of
Slack's own surfaces, which have no core meaning. Modals are for staff (the staff language);
help and App Home are for the person who opened them (their language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.catalogue import ENGLISH
from bot.core.ports import Catalogue

CHOSEN_MARK = "✓"  # a symbol, the same in every language

Say = Callable[..., str]  # say(key, **params): a key's text in one language


def english(key: str, /, **params: object) -> str:
    """A key's English text: what render shows when no language is given (tests, fallbacks)."""
    return ENGLISH[key].format(**params)


def in_language(catalogue: Catalogue, language: str) -> Say:
    def say(key: str, /, **params: object) -> str:
        return catalogue.text(key, language, **params)

    return say


@dataclass(frozen=True)
class ModalWords:
    """What an input modal shows around its text box."""

    label: str
    hint: str
    submit: str
    cancel: str


def modal_title(say: Say, verb: str, ref: str) -> str:
    """The title of the reply or resolve modal (`verb`) for `ref`."""
    return say(f"slack.modal.{verb}_title", ref=ref)


def modal_words(say: Say, verb: str) -> ModalWords:
    """The words of the reply or resolve modal (`verb`: "reply" or "resolve")."""
    return ModalWords(
        label=say(f"slack.modal.{verb}_label"),
        hint=say(f"slack.modal.{verb}_hint"),
        submit=say("slack.modal.send"),
        cancel=say("slack.modal.cancel"),
    )
