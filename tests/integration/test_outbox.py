"""The transactional outbox on SQLite and PostgreSQL: stored with the change, delivered after a
restart, retried per destination with backoff and Retry-After, and never twice in normal runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

import pytest

from bot.core.model import Address, Level, Status
from bot.core.outgoing import PingRefresh, RequesterNotice, StaffAction, StaffPing, StaffRelay
from register.outbox import from_json, to_json
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.outbox_world import OutboxWorld, a_view, make_world


@pytest.fixture
def world(uow: SqlUnitOfWorkFactory) -> OutboxWorld:
    return make_world(uow)


def test_a_committed_notification_is_delivered_by_a_dispatcher_started_afterwards(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.publish(world.ping(ref))  # and then the process died before anything was sent
    world.drain(world.dispatcher())
    assert world.slack.calls == [("ping", "C-L1", ref)]
    assert world.telegram.calls == [("ping", "-100L1", ref)]
    assert world.outbox().counts().undone == 0


def test_a_rolled_back_unit_of_work_leaves_nothing_in_the_outbox(world: OutboxWorld) -> None:
    ref = world.new_request()
    with world.units() as uow:
        uow.publish(world.ping(ref))  # no commit: the change and its ping are both gone
    world.drain(world.dispatcher())
    assert world.outbox().counts().notifications == 0
    assert world.slack.calls == []


def test_a_delivered_notification_is_not_sent_again_by_the_next_pass_or_process(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.publish(world.ping(ref))
    world.drain(world.dispatcher())
    world.later(3600)
    world.drain(world.dispatcher())
    assert world.slack.calls == [("ping", "C-L1", ref)]


def test_only_the_destination_that_failed_is_retried(world: OutboxWorld) -> None:
    ref = world.new_request()
    world.slack.down = True
    world.publish(world.ping(ref))
    dispatcher = world.dispatcher()
    world.drain(dispatcher)
    assert world.telegram.calls == [("ping", "-100L1", ref)]
    world.slack.down = False
    world.later(120)
    world.drain(dispatcher)
    assert world.slack.calls == [("ping", "C-L1", ref)]
    assert world.telegram.calls == [("ping", "-100L1", ref)]


def test_a_failed_destination_waits_for_its_backoff_before_the_next_attempt(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.slack.down = True
    world.publish(world.ping(ref))
    dispatcher = world.dispatcher()
    world.drain(dispatcher)
    world.slack.down = False
    world.drain(dispatcher)  # the same instant: the first backoff (0.5-1 s) has not passed
    assert world.slack.calls == []
    world.later(1.0)
    world.drain(dispatcher)
    assert world.slack.calls == [("ping", "C-L1", ref)]


def test_a_platforms_retry_after_is_honoured(world: OutboxWorld) -> None:
    ref = world.new_request()
    world.telegram.rate_limited = 30
    world.publish(world.ping(ref))
    dispatcher = world.dispatcher()
    world.drain(dispatcher)
    world.telegram.rate_limited = None
    world.later(29)
    world.drain(dispatcher)
    assert world.telegram.calls == []
    world.later(2)
    world.drain(dispatcher)
    assert world.telegram.calls == [("ping", "-100L1", ref)]


def test_a_refresh_waits_for_the_ping_it_updates(world: OutboxWorld) -> None:
    ref = world.new_request()
    world.slack.down = True
    world.publish(world.ping(ref), PingRefresh(a_view(ref, status=Status.CLAIMED)))
    dispatcher = world.dispatcher()
    world.drain(dispatcher)
    assert world.telegram.calls == [("ping", "-100L1", ref)]  # not updated before Slack has it
    world.slack.down = False
    world.later(120)
    world.drain(dispatcher)
    assert world.slack.calls == [("ping", "C-L1", ref), ("update", "slack-1", "claimed")]
    assert world.telegram.calls[1:] == [("update", "telegram-1", "claimed")]


def test_a_platform_that_is_down_holds_back_no_message_to_the_requester(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.slack.down = True
    notice = RequesterNotice(ref, Address("telegram", "42"), "A coordinator will answer")
    world.publish(world.ping(ref), notice)
    world.drain(world.dispatcher())
    assert world.telegram.calls == [("ping", "-100L1", ref), ("notice", "42", notice.text)]


def test_a_delivery_claimed_by_a_dispatcher_that_died_is_sent_after_its_lease(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.publish(world.ping(ref))
    dead = world.outbox()
    for notification_id, notification in dead.to_expand():
        dead.expand(notification_id, world.router.targets(notification))
    assert len(dead.claim(world.dispatcher().backoff.lease)) == 2  # then SIGKILL
    survivor = world.dispatcher()
    world.drain(survivor)
    assert world.slack.calls == []
    world.later(31)
    world.drain(survivor)
    assert world.slack.calls == [("ping", "C-L1", ref)]
    assert world.telegram.calls == [("ping", "-100L1", ref)]


def test_a_destination_failing_every_attempt_is_given_up_and_does_not_block_the_next(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.slack.down = True
    world.publish(world.ping(ref))
    dispatcher = world.dispatcher()
    for _ in range(6):
        world.drain(dispatcher)
        world.later(120)
    assert world.outbox().counts().failed == 1
    world.slack.down = False
    notice = RequesterNotice(ref, Address("slack", "D-ALICE"), "A coordinator will answer")
    world.publish(notice)
    world.drain(dispatcher)
    assert world.slack.calls == [("notice", "D-ALICE", "A coordinator will answer")]


def test_a_requester_who_blocked_the_bot_is_recorded_once_and_not_retried(
    world: OutboxWorld,
) -> None:
    ref = world.new_request()
    world.slack.blocked = True
    world.publish(RequesterNotice(ref, Address("slack", "D-ALICE"), "Resolved"))
    dispatcher = world.dispatcher()
    world.drain(dispatcher)
    world.later(3600)
    world.drain(dispatcher)
    with world.units() as uow:
        actions = [entry.action.value for entry in uow.requests.history(ref)]
    assert actions.count("requester_unreachable") == 1
    assert world.outbox().counts().undone == 0


def test_a_relay_goes_into_the_thread_of_each_ping_of_its_level(world: OutboxWorld) -> None:
    ref = world.new_request()
    world.publish(world.ping(ref, Level.L2), StaffRelay(ref, Level.L2, "still broken"))
    world.drain(world.dispatcher())
    assert world.slack.calls[-1] == ("thread", "slack-1", "still broken")
    assert world.telegram.calls[-1] == ("thread", "telegram-1", "still broken")


def test_two_dispatchers_at_once_send_every_destination_exactly_once(
    world: OutboxWorld,
) -> None:
    refs = [world.new_request() for _ in range(15)]
    world.publish(*(world.ping(ref) for ref in refs))
    dispatchers = [world.dispatcher(), world.dispatcher()]
    threads = [threading.Thread(target=world.drain, args=(d,)) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(call[2] for call in world.slack.calls) == sorted(refs)
    assert sorted(call[2] for call in world.telegram.calls) == sorted(refs)


def test_the_dispatcher_thread_sends_right_after_it_is_woken(world: OutboxWorld) -> None:
    ref = world.new_request()
    dispatcher = world.dispatcher()
    dispatcher.poll_seconds = 3600.0  # only the wake-up can make it look
    dispatcher.start()
    try:
        wait_until(dispatcher.idle.is_set)  # its first pass found nothing to do
        world.publish(world.ping(ref))
        dispatcher.deliver([world.ping(ref)])
        wait_until(lambda: len(world.slack.calls) == 1)
    finally:
        dispatcher.close()
    assert world.slack.calls == [("ping", "C-L1", ref)]


def test_every_kind_of_notification_survives_its_json_form() -> None:
    view = a_view("SR-1", Level.L2, Status.WAITING)
    claim = StaffAction("claim", "SR-1", "Claim")
    for notification in (
        StaffPing(Level.L1, replace(view, actions=(claim,)), site="kenya"),
        PingRefresh(view),
        RequesterNotice("SR-1", Address("telegram", "42", "7"), "Réponse : مرحبا"),
        StaffRelay("SR-1", Level.L3, "it works"),
    ):
        assert from_json(type(notification).__name__, to_json(notification)) == notification


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
