"""Who a Slack user is for the desk: name and language from users.info, kept for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient

from bot.core.model import Person
from bot.slack.payloads import language_of
from bot.slack.webapi import call_logged

PLATFORM = "slack"
KNOWN_SECONDS = 600.0  # names and locales rarely change; one users.info per person per 10 min
UNKNOWN_SECONDS = 60.0  # after a failure, try again soon but not on every message


def person_from_profile(user_id: str, user: Mapping[str, Any]) -> Person:
    """The name people see in Slack (display name, else real name, else handle)."""
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user_id
    )
    return Person(PLATFORM, user_id, str(name), language_of(user.get("locale")))


class SlackPeople:
    """Thread-safe cache in front of users.info (Slack allows it about 100 calls a minute)."""

    def __init__(self, client: WebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._known: dict[str, tuple[Person, float]] = {}
        self._lock = threading.Lock()

    def person(self, user_id: str) -> Person:
        now = self._clock()
        with self._lock:
            cached = self._known.get(user_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        found = call_logged(
            "users.info",
            f"user {user_id}",
            lambda: self._client.users_info(user=user_id, include_locale=True),
        )
        user = found.get("user") if found is not None else None
        if isinstance(user, dict):
            person, keep = person_from_profile(user_id, user), KNOWN_SECONDS
        else:
            person, keep = Person(PLATFORM, user_id, user_id), UNKNOWN_SECONDS
        with self._lock:
            self._known[user_id] = (person, now + keep)
        return person
