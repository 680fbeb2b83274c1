"""Who is staff: the allow-list, members of a level's chats as the platform says, or either."""

from __future__ import annotations

import logging

import pytest

from bot.core.directory import AllowListDirectory, AnyOfDirectories, MembershipDirectory
from bot.core.model import Level, Person

LINA = Person("slack", "U0LINA", "Lina")
CAROL = Person("slack", "U0CAROL", "Carol")
TELEGRAM_LINA = Person("telegram", "U0LINA", "Lina on Telegram")
CHATS = {Level.L1: ["C0L1"], Level.L2: ["C0L2", "C0L2B"]}


class FakePlatformMembers:
    """A platform's membership answers: who is in which chat, failures on demand."""

    def __init__(self, members: dict[str, set[str]]) -> None:
        self.members = members
        self.asked: list[tuple[str, str]] = []
        self.unsure = False
        self.broken = False

    def is_member(self, user_id: str, chat_id: str) -> bool | None:
        self.asked.append((user_id, chat_id))
        if self.broken:
            raise ConnectionError("the platform is down")
        if self.unsure:
            return None
        return user_id in self.members.get(chat_id, set())


class FakeMonotonic:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def directory(
    platform: FakePlatformMembers, clock: FakeMonotonic | None = None
) -> MembershipDirectory:
    return MembershipDirectory(
        "slack", CHATS, platform, ttl_seconds=60, clock=clock or FakeMonotonic()
    )


def test_the_allow_list_admits_listed_identities_and_a_platform_wildcard() -> None:
    staff = AllowListDirectory({Level.L1: ["slack:U0LINA", "console:*"]})
    assert staff.may_act(LINA, Level.L1)
    assert staff.may_act(Person("console", "anyone", "Me"), Level.L1)
    assert not staff.may_act(CAROL, Level.L1)
    assert not staff.may_act(LINA, Level.L2)


def test_a_member_of_the_levels_chat_may_act_on_that_level() -> None:
    staff = directory(FakePlatformMembers({"C0L1": {"U0LINA"}}))
    assert staff.may_act(LINA, Level.L1)


def test_someone_in_none_of_the_levels_chats_is_refused() -> None:
    staff = directory(FakePlatformMembers({"C0L1": {"U0LINA"}}))
    assert not staff.may_act(CAROL, Level.L1)


def test_membership_of_another_levels_chat_does_not_count() -> None:
    staff = directory(FakePlatformMembers({"C0L1": {"U0LINA"}}))
    assert not staff.may_act(LINA, Level.L2)


def test_any_of_a_levels_chats_is_enough() -> None:
    staff = directory(FakePlatformMembers({"C0L2B": {"U0CAROL"}}))
    assert staff.may_act(CAROL, Level.L2)


def test_a_level_without_chats_has_no_members_and_the_platform_is_not_asked() -> None:
    platform = FakePlatformMembers({"C0L1": {"U0LINA"}})
    assert not directory(platform).may_act(LINA, Level.L3)
    assert platform.asked == []


def test_a_platform_vouches_only_for_its_own_people() -> None:
    platform = FakePlatformMembers({"C0L1": {"U0LINA"}})
    assert not directory(platform).may_act(TELEGRAM_LINA, Level.L1)
    assert platform.asked == []


def test_answers_are_remembered_until_the_ttl_is_over() -> None:
    platform, clock = FakePlatformMembers({"C0L1": {"U0LINA"}}), FakeMonotonic()
    staff = directory(platform, clock)
    assert staff.may_act(LINA, Level.L1)
    platform.members["C0L1"].clear()  # removed from the channel
    clock.seconds += 59
    assert staff.may_act(LINA, Level.L1)  # still the remembered answer
    assert platform.asked == [("U0LINA", "C0L1")]
    clock.seconds += 1
    assert not staff.may_act(LINA, Level.L1)
    assert len(platform.asked) == 2


def test_a_refusal_is_remembered_too_so_repeated_clicks_do_not_hammer_the_platform() -> None:
    platform = FakePlatformMembers({})
    staff = directory(platform)
    for _ in range(5):
        assert not staff.may_act(CAROL, Level.L1)
    assert platform.asked == [("U0CAROL", "C0L1")]


def test_a_platform_that_cannot_tell_means_not_allowed_and_is_asked_again_next_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = FakePlatformMembers({"C0L1": {"U0LINA"}})
    staff = directory(platform)
    platform.unsure = True
    with caplog.at_level(logging.WARNING, logger="supportbot.core"):
        assert not staff.may_act(LINA, Level.L1)
    assert "could not say whether U0LINA is in C0L1" in caplog.text
    platform.unsure = False
    assert staff.may_act(LINA, Level.L1)
    assert len(platform.asked) == 2


def test_a_failing_platform_means_not_allowed_and_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = FakePlatformMembers({"C0L1": {"U0LINA"}})
    platform.broken = True
    with caplog.at_level(logging.ERROR, logger="supportbot.core"):
        assert not directory(platform).may_act(LINA, Level.L1)
    failure = next(r for r in caplog.records if "membership check" in r.getMessage())
    assert failure.exc_info is not None


def test_either_directory_may_admit_someone() -> None:
    platform = FakePlatformMembers({"C0L1": {"U0CAROL"}})
    staff = AnyOfDirectories(
        [AllowListDirectory({Level.L1: ["slack:U0LINA"]}), directory(platform)]
    )
    assert staff.may_act(LINA, Level.L1)  # by the list
    assert staff.may_act(CAROL, Level.L1)  # by membership
    assert not staff.may_act(Person("slack", "U0MALLORY", "Mallory"), Level.L1)


def test_the_platform_is_not_asked_about_someone_the_list_already_admits() -> None:
    platform = FakePlatformMembers({})
    staff = AnyOfDirectories(
        [AllowListDirectory({Level.L1: ["slack:U0LINA"]}), directory(platform)]
    )
    assert staff.may_act(LINA, Level.L1)
    assert platform.asked == []
