"""The outbox under faults, with `supportbot run` in a child process against both stand-ins:
Slack unreachable, a storm of Telegram 429s, and SIGKILL while dispatching. After recovery
nothing recorded in the register is missing on its platform (bench/faults.py at full size)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.faults import Rig, rig, sigkill, slack_down, telegram_429

REQUESTS = 2


@pytest.fixture
def ready() -> Iterator[Rig]:
    with rig() as prepared:
        yield prepared


def test_pings_held_back_by_a_slack_outage_all_arrive_once_it_ends(ready: Rig) -> None:
    counts = slack_down(ready, REQUESTS, outage=2.0)
    assert (counts.lost, counts.duplicated) == (0, 0)
    assert counts.delivered == 5 * REQUESTS
    assert counts.outbox.attempts > counts.outbox.delivered, "the outage made deliveries fail"


def test_a_storm_of_telegram_429s_delays_but_loses_nothing(ready: Rig) -> None:
    counts = telegram_429(ready, REQUESTS, storm=12)
    assert (counts.lost, counts.duplicated) == (0, 0)
    assert counts.delivered == 5 * REQUESTS
    assert (counts.outbox.pending, counts.outbox.failed) == (0, 0)


def test_a_bot_killed_while_dispatching_delivers_the_rest_after_its_restart(ready: Rig) -> None:
    counts = sigkill(ready, REQUESTS * 3)
    assert counts.lost == 0
    # At least once: only the one delivery in flight at the kill may have gone out twice.
    assert counts.duplicated <= 1
    assert (counts.outbox.pending, counts.outbox.failed) == (0, 0)
