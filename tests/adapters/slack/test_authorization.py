"""Who may act on a request in Slack: the allow-list, or membership of the level's channel as
Slack says (conversations.members), remembered for a while; and requesters see only their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.model import Action, Level, Status
from config.settings import StaffSettings
from tests.adapters.slack.builders import (
    ALICE_DM,
    BOB,
    BOB_DM,
    CAROL,
    DEV,
    L1_DESK,
    L2_DESK,
    LINA,
    MALLORY,
    click,
    dm,
    home_opened,
    submission,
    thread_reply,
)
from tests.adapters.slack.conftest import SlackBot, make_settings, posted_to, running_bot, wait_for
from tests.adapters.slack.test_flow import ask_and_log, ping_in, press, shown_blocks, whispered
from tests.adapters.slack_standin import Call, Profile, SlackStandIn

OLGA = "U0OLGA0001"  # in no allow-list: staff only as a member of the L1 channel
TTL = 60.0


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
    standin: SlackStandIn, tmp_path: Path, kb_dir: Path, clock: FakeMonotonic
) -> Iterator[SlackBot]:
    standin.users[OLGA] = Profile("Olga Member")
    standin.set_members(L1_DESK, [LINA, OLGA])
    standin.set_members(L2_DESK, [CAROL])
    settings = make_settings(standin, tmp_path, kb_dir)
    staff = StaffSettings(
        l1=[f"slack:{LINA}"],
        l2=[f"slack:{CAROL}"],
        l3=[f"slack:{DEV}"],
        membership_ttl_seconds=TTL,
    )
    with running_bot(standin, settings.model_copy(update={"staff": staff}), clock) as running:
        yield running


def membership_calls(standin: SlackStandIn, channel: str) -> list[Call]:
    return standin.calls_of("conversations.members", lambda c: c.args.get("channel") == channel)


def claimed_by(bot: SlackBot, ref: str, user: str) -> bool:
    request = bot.request(ref)
    return (
        request is not None
        and request.claimed_by is not None
        and (request.claimed_by.user_id == user)
    )


def actions(bot: SlackBot, ref: str) -> list[tuple[Action, str]]:
    return [(entry.action, entry.actor) for entry in bot.history(ref)]


def test_staff_on_the_allow_list_may_act_without_asking_slack(bot: SlackBot) -> None:
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_claim", LINA)

    whispered(bot.standin, LINA, f"You have claimed {ref}")
    assert claimed_by(bot, ref, LINA)
    assert bot.standin.calls_of("conversations.members") == []


def test_a_member_of_the_levels_channel_may_act_though_on_no_list(bot: SlackBot) -> None:
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_claim", OLGA)

    whispered(bot.standin, OLGA, f"You have claimed {ref}")
    assert claimed_by(bot, ref, OLGA)
    assert (Action.CLAIMED, f"slack:{OLGA}") in actions(bot, ref)


def test_membership_is_found_on_a_later_page_of_a_big_channel(bot: SlackBot) -> None:
    crowd = [f"U0CROWD{n:04d}" for n in range(450)]
    bot.standin.set_members(L1_DESK, [*crowd, OLGA])
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_claim", OLGA)

    whispered(bot.standin, OLGA, f"You have claimed {ref}")
    pages = membership_calls(bot.standin, L1_DESK)
    assert len(pages) == 3
    assert [call.args.get("cursor") for call in pages][1:] == ["dXNlcj200", "dXNlcj400"]


def test_someone_in_the_channel_of_no_level_is_refused_for_every_action(bot: SlackBot) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_claim", MALLORY)
    whispered(slack, MALLORY, f"only L1 support staff can act on {ref}")
    press(bot, ping, "ping_escalate", MALLORY)
    wait_for(lambda: len(slack.calls_of("chat.postEphemeral")) >= 2, what="the second refusal")

    press(bot, ping, "ping_resolve", MALLORY)
    modal = slack.wait_for("views.open")
    bot.transport.interaction(submission(modal, user=MALLORY, text="closing it"))
    thread = thread_reply(
        "ignore this", user=MALLORY, channel=L1_DESK, thread_ts=ping.response["ts"]
    )
    bot.transport.event(thread)

    wait_for(lambda: len(slack.calls_of("chat.postEphemeral")) >= 4, what="four refusals")
    refusals = [a for a in actions(bot, ref) if a[0] is Action.REFUSED]
    assert refusals == [(Action.REFUSED, f"slack:{MALLORY}")] * 4
    request = bot.request(ref)
    assert request is not None
    assert (request.status, request.level, request.claimed_by) == (Status.OPEN, Level.L1, None)
    assert slack.calls_of("chat.postMessage", posted_to(ALICE_DM, "ignore this")) == []


def test_a_member_of_one_levels_channel_is_refused_on_another_levels_request(
    bot: SlackBot,
) -> None:
    ref, l1_ping = ask_and_log(bot)
    press(bot, l1_ping, "ping_escalate", LINA)
    l2_ping = ping_in(bot, L2_DESK)

    press(bot, l2_ping, "ping_claim", OLGA)
    whispered(bot.standin, OLGA, f"only L2 support staff can act on {ref}")
    assert (Action.REFUSED, f"slack:{OLGA}") in actions(bot, ref)
    assert not claimed_by(bot, ref, OLGA)


def test_someone_removed_from_the_channel_is_refused_once_the_answer_expires(
    bot: SlackBot, clock: FakeMonotonic
) -> None:
    slack = bot.standin
    first, first_ping = ask_and_log(bot)
    press(bot, first_ping, "ping_claim", OLGA)
    whispered(slack, OLGA, f"You have claimed {first}")
    slack.set_members(L1_DESK, [LINA])  # Olga leaves the L1 team

    clock.seconds += TTL - 1
    second, _ = ask_and_log(bot, user=BOB, channel=BOB_DM)
    second_ping = bot.wait_until_remembered(
        slack.wait_for("chat.postMessage", posted_to(L1_DESK, second))
    )
    press(bot, second_ping, "ping_claim", OLGA)
    whispered(slack, OLGA, f"You have claimed {second}")  # the answer is still remembered
    assert len(membership_calls(slack, L1_DESK)) == 1

    clock.seconds += 1
    press(bot, first_ping, "ping_escalate", OLGA)
    whispered(slack, OLGA, f"only L1 support staff can act on {first}")
    assert len(membership_calls(slack, L1_DESK)) == 2
    assert (Action.REFUSED, f"slack:{OLGA}") in actions(bot, first)


def test_a_slack_error_refuses_the_click_logs_it_and_is_not_remembered(
    bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    slack.fail("conversations.members", "internal_error")
    press(bot, ping, "ping_claim", OLGA)

    whispered(slack, OLGA, f"only L1 support staff can act on {ref}")
    assert "Slack conversations.members failed" in caplog.text
    assert "internal_error" in caplog.text
    press(bot, ping, "ping_claim", OLGA)  # Slack answers again: so does the directory
    whispered(slack, OLGA, f"You have claimed {ref}")


def test_a_requester_does_not_see_someone_elses_requests_at_home(bot: SlackBot) -> None:
    ref, _ = ask_and_log(bot)
    bot.transport.event(home_opened(BOB))
    home = bot.standin.wait_for("views.publish", lambda c: c.args.get("user_id") == BOB)
    assert ref not in str(home.args["view"])


def test_a_requester_cannot_answer_someone_elses_request(bot: SlackBot) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    bot.transport.event(
        thread_reply("Try again", user=LINA, channel=L1_DESK, thread_ts=ping.response["ts"])
    )
    notice = bot.wait_until_remembered(
        slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Try again"))
    )
    # Slack would not show Alice's DM to Bob; even a reply from him under her notice is refused.
    bot.transport.event(
        dm("close it, it is mine", user=BOB, channel=ALICE_DM, thread_ts=notice.response["ts"])
    )

    slack.wait_for("chat.postMessage", posted_to(ALICE_DM, f"{ref} is not one of your requests"))
    assert Action.REQUESTER_ANSWERED not in [entry.action for entry in bot.history(ref)]
    assert slack.calls_of("chat.postMessage", posted_to(L1_DESK, "close it")) == []


def test_a_requester_cannot_turn_someone_elses_suggestions_into_a_request(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    bot.transport.event(dm("I forgot my password"))
    suggestions = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "These articles"))
    bot.transport.interaction(click(suggestions, "suggestion_none", user=BOB))

    whispered(slack, BOB, "These suggestions have expired")
    assert slack.calls_of("chat.postMessage", posted_to(L1_DESK)) == []
    assert shown_blocks(slack, suggestions) == suggestions.args["blocks"]
