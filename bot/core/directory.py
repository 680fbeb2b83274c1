"""Who is staff of which level: an allow-list, members of the level's chats, or either."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from bot.core.model import Level, Person
from bot.core.ports import StaffDirectory

log = logging.getLogger("supportbot.core")

CACHE_LIMIT = 10_000  # remembered answers before expired ones are swept out


class AllowListDirectory:
    """`{Level.L1: ["slack:U0123", "telegram:111"]}`; an entry `console:*` admits every
    terminal user (the terminal chat is one trusted person playing every role)."""

    def __init__(self, members: Mapping[Level, Iterable[str]]) -> None:
        self._members = {level: frozenset(ids) for level, ids in members.items()}

    def may_act(self, person: Person, level: Level) -> bool:
        allowed = self._members.get(level, frozenset())
        return person.identity in allowed or f"{person.platform}:*" in allowed


class MembershipLookup(Protocol):
    """A platform's answer to "is this user in that chat now?"."""

    def is_member(self, user_id: str, chat_id: str) -> bool | None:
        """None when the platform could not tell (an error, already logged by the lookup)."""


class MembershipDirectory:
    """Staff of a level are the members of that level's chats on one platform, as the platform
    says. Answers are remembered for `ttl_seconds`: one lookup per person and chat, not one per
    click. A platform that cannot tell means "not allowed", never a crash, and is asked again
    at the next click (an outage must not lock staff out for a whole TTL once it is over)."""

    def __init__(
        self,
        platform: str,
        chats: Mapping[Level, Sequence[str]],
        lookup: MembershipLookup,
        *,
        ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._platform = platform
        self._chats = {level: tuple(ids) for level, ids in chats.items()}
        self._lookup = lookup
        self._ttl = ttl_seconds
        self._clock = clock
        self._known: dict[tuple[str, str], tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def may_act(self, person: Person, level: Level) -> bool:
        if person.platform != self._platform:
            return False  # only this platform can vouch for its own people
        return any(self._is_member(person.user_id, chat) for chat in self._chats.get(level, ()))

    def _is_member(self, user_id: str, chat_id: str) -> bool:
        now = self._clock()
        with self._lock:
            cached = self._known.get((user_id, chat_id))
        if cached is not None and cached[1] > now:
            return cached[0]
        answer = self._ask(user_id, chat_id)
        if answer is None:
            return False
        with self._lock:
            if len(self._known) >= CACHE_LIMIT:
                self._known = {key: kept for key, kept in self._known.items() if kept[1] > now}
            self._known[(user_id, chat_id)] = (answer, now + self._ttl)
        return answer

    def _ask(self, user_id: str, chat_id: str) -> bool | None:
        try:
            answer = self._lookup.is_member(user_id, chat_id)
        except Exception:
            log.exception(
                "%s membership check of %s in %s failed", self._platform, user_id, chat_id
            )
            return None
        if answer is None:
            log.warning(
                "%s could not say whether %s is in %s: not allowed for now",
                self._platform,
                user_id,
                chat_id,
            )
        return answer


class AnyOfDirectories:
    """Staff when any directory says so (the allow-list, then each platform's members), asked
    in order and no further than the first yes."""

    def __init__(self, directories: Iterable[StaffDirectory]) -> None:
        self._directories = tuple(directories)

    def may_act(self, person: Person, level: Level) -> bool:
        return any(directory.may_act(person, level) for directory in self._directories)
