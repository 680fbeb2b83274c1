"""Reading Slack payloads: which events come from people, their text as typed, keys and values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# Message subtypes that are still a person writing: "also send to channel" replies and
# messages with an attachment. Every other subtype (edits, deletions, joins…) is ignored.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share"})

_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def is_from_a_person(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """False for bots (ours included), edits, deletions, joins and other system messages."""
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    subtype = event.get("subtype")
    if subtype is not None and subtype not in PERSON_SUBTYPES:
        return False
    user = event.get("user")
    return bool(user) and user != bot_user_id


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """What the person typed: mentions of the bot dropped, links and channels as their labels,
    Slack's escapes undone."""

    def label(match: re.Match[str]) -> str:
        target, shown = match.group(1), match.group(2)
        if target.startswith("@"):
            return "" if target[1:] == bot_user_id else (shown or target)
        if target.startswith("#"):
            return f"#{shown}" if shown else target
        if target.startswith("!"):
            return f"@{shown or target[1:]}"
        return shown or target

    readable = _LINK.sub(label, text)
    readable = readable.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(readable.split())


def event_key(body: Mapping[str, Any]) -> str | None:
    """The register's redelivery key: Slack keeps `event_id` across its retries."""
    event_id = body.get("event_id")
    return f"slack:{event_id}" if event_id else None


def interaction_key(body: Mapping[str, Any]) -> str | None:
    """A click or a modal submission happens once per `trigger_id`."""
    trigger = body.get("trigger_id")
    return f"slack:trigger:{trigger}" if trigger else None


def retry_attempt(headers: Mapping[str, Sequence[str]]) -> int:
    """Slack's retry number. Socket Mode first deliveries carry "0" too, so compare the number,
    never whether the header is there."""
    values = headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(values[0])
    except ValueError:
        return 0


def solved_choice(value: str) -> tuple[int, str] | None:
    """`"{inquiry_id}:{article_id}"` from a "This solved it" button."""
    inquiry, separator, article = value.partition(":")
    if not separator or not article or not inquiry.isdigit():
        return None
    return int(inquiry), article


def inquiry_choice(value: str) -> int | None:
    """`"{inquiry_id}"` from a "None of these helped" button."""
    return int(value) if value.isdigit() else None


def language_of(locale: str | None) -> str | None:
    """Slack's `en-US` as the desk's `en`."""
    if not locale:
        return None
    return locale.replace("_", "-").split("-")[0].lower() or None
