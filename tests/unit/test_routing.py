"""Delivery to every platform: pings per level, ping updates, notices and relays, failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from bot.core.desk import SupportDesk
from bot.core.model import Action, Level, PostedMessage
from bot.core.outgoing import PingView, RequesterNotice
from bot.core.routing import Posted, RecipientUnreachable, Router
from tests.unit.conftest import World


@dataclass
class FakeOutlet:
    """A platform that records what it was asked to show."""

    platform: str
    chats: dict[Level, list[str]]
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    broken: bool = False
    unreachable: bool = False

    def destinations(self, level: Level) -> Sequence[str]:
        return self.chats.get(level, [])

    def post_ping(self, chat_id: str, view: PingView) -> Posted:
        if self.broken:
            raise ConnectionError("platform down")
        self.calls.append(("ping", chat_id, view.ref))
        return Posted(chat_id=chat_id, message_id=f"m{len(self.calls)}")

    def update_ping(self, posted: PostedMessage, view: PingView) -> None:
        self.calls.append(("update", posted.chat_id, view.status.value))

    def send_notice(self, notice: RequesterNotice) -> Posted | None:
        if self.unreachable:
            raise RecipientUnreachable("bot was blocked by the user")
        self.calls.append(("notice", notice.to.chat_id, notice.text))
        return Posted(chat_id=notice.to.chat_id, message_id="n1")

    def post_in_thread(self, posted: PostedMessage, text: str) -> None:
        self.calls.append(("thread", posted.message_id, text))


@pytest.fixture
def outlets(world: World) -> tuple[FakeOutlet, FakeOutlet]:
    slack = FakeOutlet("test", {Level.L1: ["C-L1"], Level.L2: ["C-L2"]})
    telegram = FakeOutlet("telegram", {Level.L2: ["-100L2"], Level.L3: ["-100L3"]})
    router = Router([slack, telegram], world.uow, world.clock)
    world.desk = SupportDesk(replace(world.desk.deps, notifier=router))
    return slack, telegram


def test_a_new_request_pings_every_l1_destination_and_remembers_the_message(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, telegram = outlets
    world.desk.ask(world.alice, "printer broken")
    assert slack.calls == [("ping", "C-L1", "SR-1")]
    assert telegram.calls == []
    (posted,) = world.uow.store.posted
    assert (posted.kind, posted.level, posted.message_id) == ("ping", Level.L1, "m1")


def test_an_escalation_pings_the_next_level_on_both_platforms_and_updates_old_pings(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, telegram = outlets
    world.desk.ask(world.alice, "printer broken")
    world.desk.escalate(world.lina, "SR-1")
    assert ("update", "C-L1", "open") in slack.calls
    assert ("ping", "C-L2", "SR-1") in slack.calls
    assert ("ping", "-100L2", "SR-1") in telegram.calls


def test_a_staff_reply_reaches_the_requester_and_their_answer_reaches_the_ping_thread(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, _ = outlets
    world.desk.ask(world.alice, "printer broken")
    world.desk.reply(world.lina, "SR-1", "Which model?")
    world.desk.answer_staff(world.alice, "SR-1", "HP 400")
    assert ("notice", "chat-alice", "Support team (Lina) about SR-1: Which model?") in slack.calls
    assert ("thread", "m1", "HP 400") in slack.calls


def test_a_platform_that_fails_does_not_stop_the_others(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, telegram = outlets
    slack.broken = True
    world.desk.ask(world.alice, "printer broken")
    world.desk.escalate(world.lina, "SR-1")
    assert ("ping", "-100L2", "SR-1") in telegram.calls


def test_a_requester_who_blocked_the_bot_is_recorded_as_unreachable(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, _ = outlets
    slack.unreachable = True
    world.desk.ask(world.alice, "printer broken")
    world.desk.claim(world.lina, "SR-1")
    last = world.uow.store.history[-1]
    assert last.action is Action.REQUESTER_UNREACHABLE
    assert "blocked" in last.detail


def test_a_reply_under_a_ping_is_a_staff_reply_and_under_a_notice_the_requesters_answer(
    world: World, outlets: tuple[FakeOutlet, FakeOutlet]
) -> None:
    slack, _ = outlets
    world.desk.ask(world.alice, "printer broken")
    ping = world.desk.posted_message("test", "C-L1", "m1")
    assert ping is not None
    world.desk.answer_posted(world.lina, ping, "Restart it please")
    notice = world.desk.posted_message("test", "chat-alice", "n1")
    assert notice is not None
    world.desk.answer_posted(world.alice, notice, "Done, works now")
    assert (
        "notice",
        "chat-alice",
        "Support team (Lina) about SR-1: Restart it please",
    ) in slack.calls
    assert ("thread", "m1", "Done, works now") in slack.calls
    assert world.desk.posted_message("test", "C-L1", "nope") is None
