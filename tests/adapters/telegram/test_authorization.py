"""Who may act on a request in Telegram: the allow-list, or membership of the level's group as
Telegram says (getChatMember), remembered for a while; and requesters see only their own."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import open_register
from bot.core.model import Action, Level, Status, SupportRequest
from config.settings import StaffSettings
from tests.adapters.telegram.builders import (
    ALICE,
    BOB,
    CARLOS,
    DEV,
    FIELD_GROUP,
    L1_GROUP,
    L2_GROUP,
    LINA,
    MALLORY,
    TgUser,
    button_data,
    group_chat,
    text_message,
)
from tests.adapters.telegram.conftest import RunningBot, make_settings, running_bot, wait_for
from tests.adapters.telegram.steps import (
    REF,
    current,
    has_suggestions,
    log_request,
    press,
    press_data,
)
from tests.adapters.telegram_standin import BotApiStandIn

OLEG = TgUser(777777777, "Oleg", "Member", "oleg_member")  # staff only by group membership
TTL = 60.0
STAFF_GROUP = group_chat(L1_GROUP, "L1 site administrators")


class FakeMonotonic:
    """The membership cache's clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.seconds = 5000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def bot(
    api: BotApiStandIn, tmp_path: Path, kb_dir: Path, clock: FakeMonotonic
) -> Iterator[RunningBot]:
    api.set_member(L1_GROUP, LINA.id, "administrator")
    api.set_member(L1_GROUP, OLEG.id)
    api.set_member(L2_GROUP, CARLOS.id)
    settings = make_settings(api, tmp_path, kb_dir)
    staff = StaffSettings(
        l1=[f"telegram:{LINA.id}"],
        l2=[f"telegram:{CARLOS.id}"],
        l3=[f"telegram:{DEV.id}"],
        membership_ttl_seconds=TTL,
    )
    with running_bot(api, settings.model_copy(update={"staff": staff}), clock) as running:
        yield running


def lookups(bot: RunningBot, user: TgUser) -> int:
    return len(bot.api.calls_to("getChatMember", user_id=user.id))


def actors(bot: RunningBot, ref: str, action: Action) -> list[str]:
    return [entry.actor for entry in bot.history(ref) if entry.action is action]


def refusal(ref: str, level: str = "L1") -> str:
    return f"Sorry, only {level} support staff can act on {ref}."


def test_staff_on_the_allow_list_may_act_without_asking_telegram(bot: RunningBot) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    assert press(bot, LINA, ping, "Claim").args["text"] == f"You have claimed {ref}."
    assert bot.api.calls_to("getChatMember") == []


@pytest.mark.parametrize("status", ["member", "administrator", "creator"])
def test_a_member_of_the_levels_group_may_act_though_on_no_list(
    bot: RunningBot, status: str
) -> None:
    bot.api.set_member(L1_GROUP, OLEG.id, status)
    ref, ping = log_request(bot, ALICE, "I forgot my password")

    assert press(bot, OLEG, ping, "Claim").args["text"] == f"You have claimed {ref}."
    assert actors(bot, ref, Action.CLAIMED) == [f"telegram:{OLEG.id}"]
    asked = bot.api.calls_to("getChatMember", user_id=OLEG.id)
    assert [call.args["chat_id"] for call in asked] == [L1_GROUP]


@pytest.mark.parametrize("status", ["left", "kicked"])
def test_someone_who_left_or_was_banned_from_the_group_is_refused(
    bot: RunningBot, status: str
) -> None:
    bot.api.set_member(L1_GROUP, OLEG.id, status)
    ref, ping = log_request(bot, ALICE, "I forgot my password")

    assert press(bot, OLEG, ping, "Claim").args["text"] == refusal(ref)
    assert actors(bot, ref, Action.REFUSED) == [f"telegram:{OLEG.id}"]


def test_someone_in_no_staff_group_is_refused_for_every_action(bot: RunningBot) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    for label in ("Claim", "Resolve", "Escalate"):
        assert press(bot, MALLORY, ping, label).args["text"] == refusal(ref)
    bot.api.push(text_message(MALLORY, "closing this", chat=STAFF_GROUP, reply_to=ping))
    bot.wait_for_message(L1_GROUP, lambda m: m["text"] == refusal(ref), "the reply's refusal")

    assert actors(bot, ref, Action.REFUSED) == [f"telegram:{MALLORY.id}"] * 4
    request = open_request(bot, ref)
    assert (request.status, request.level, request.claimed_by) == (Status.OPEN, Level.L1, None)
    assert not [m for m in bot.api.sent(ALICE.id) if "closing this" in m["text"]]


def test_a_member_of_one_levels_group_is_refused_on_another_levels_request(
    bot: RunningBot,
) -> None:
    ref, l1_ping = log_request(bot, ALICE, "I forgot my password")
    press(bot, LINA, l1_ping, "Escalate")
    l2_ping = bot.wait_for_message(L2_GROUP, lambda m: ref in m["text"], "the L2 ping")

    assert press(bot, OLEG, l2_ping, "Claim").args["text"] == refusal(ref, "L2")
    assert press(bot, CARLOS, l2_ping, "Claim").args["text"] == f"You have claimed {ref}."
    assert actors(bot, ref, Action.REFUSED) == [f"telegram:{OLEG.id}"]


def test_someone_removed_from_the_group_is_refused_once_the_answer_expires(
    bot: RunningBot, clock: FakeMonotonic
) -> None:
    first, first_ping = log_request(bot, ALICE, "I forgot my password")
    assert press(bot, OLEG, first_ping, "Claim").args["text"] == f"You have claimed {first}."
    bot.api.set_member(L1_GROUP, OLEG.id, "left")

    clock.seconds += TTL - 1
    second, second_ping = log_request(bot, BOB, "My account is locked")
    claimed = press(bot, OLEG, second_ping, "Claim")
    assert claimed.args["text"] == f"You have claimed {second}."  # still remembered
    assert lookups(bot, OLEG) == 1

    clock.seconds += 1
    assert press(bot, OLEG, current(bot, first_ping), "Escalate").args["text"] == refusal(first)
    assert lookups(bot, OLEG) == 2


def test_a_telegram_error_refuses_the_click_logs_it_and_is_not_remembered(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    ref, ping = log_request(bot, ALICE, "I forgot my password")
    bot.api.fail("getChatMember", 400, "Bad Request: member list is inaccessible")
    with caplog.at_level(logging.WARNING):
        assert press(bot, OLEG, ping, "Claim").args["text"] == refusal(ref)
    assert "getChatMember" in caplog.text
    assert "member list is inaccessible" in caplog.text.lower()

    assert press(bot, OLEG, ping, "Claim").args["text"] == f"You have claimed {ref}."


def test_a_requester_cannot_answer_someone_elses_request_in_a_shared_group(
    bot: RunningBot,
) -> None:
    ref, question = log_request_in_group(bot, ALICE)
    ping = bot.wait_for_message(L1_GROUP, lambda m: ref in m["text"], "the L1 ping")
    wait_for(lambda: bot.remembers(ping), what="the ping to be recorded")
    bot.api.push(text_message(LINA, "Please try again", chat=STAFF_GROUP, reply_to=ping))
    group = FIELD_GROUP["id"]
    notice = bot.wait_for_message(group, lambda m: "Please try again" in m["text"], "the notice")
    assert notice["reply_to_message"]["message_id"] == question["message_id"]
    wait_for(lambda: bot.remembers(notice), what="the notice to be recorded")

    bot.api.push(text_message(BOB, "It is mine, close it", chat=FIELD_GROUP, reply_to=notice))
    bot.wait_for_message(group, lambda m: m["text"] == f"{ref} is not one of your requests.")
    assert Action.REQUESTER_ANSWERED not in [entry.action for entry in bot.history(ref)]
    assert not [m for m in bot.api.sent(L1_GROUP) if "It is mine" in m["text"]]


def test_status_shows_a_requester_only_their_own_requests(bot: RunningBot) -> None:
    ref, _ = log_request(bot, ALICE, "I forgot my password")
    bot.api.push(text_message(BOB, "/status"))
    answer = bot.wait_for_message(BOB.id, lambda m: "open requests" in m["text"])
    assert ref not in answer["text"]


def open_request(bot: RunningBot, ref: str) -> SupportRequest:
    register = open_register(bot.settings)
    try:
        with register.unit_of_work() as uow:
            request = uow.requests.get(ref)
    finally:
        register.close()
    assert request is not None
    return request


def log_request_in_group(bot: RunningBot, user: TgUser) -> tuple[str, dict[str, Any]]:
    """`user` asks in the field group, says none helped; the reference and their question."""
    question = text_message(user, "@fake_test_bot I forgot my password", chat=FIELD_GROUP)
    bot.api.push(question)
    group = FIELD_GROUP["id"]
    suggestions = bot.wait_for_message(group, has_suggestions, "suggestions in the group")
    none_helped = next(data for data in button_data(suggestions) if data.startswith("n:"))
    press_data(bot, user, suggestions, none_helped)
    logged = bot.wait_for_message(group, lambda m: bool(REF.search(m["text"])), "the reference")
    found = REF.search(logged["text"])
    assert found is not None
    return found.group(1), question["message"]
