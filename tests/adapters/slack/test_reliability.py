"""What Slack really does to a bot: redeliveries, forged and stale requests, rate limits, API
errors, people who may not act, a register that fails, health checks."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bot.core.model import Action, Status
from bot.slack.http import HttpService, SlackWsgi
from tests.adapters.slack.builders import (
    ALICE_DM,
    BOB,
    BOB_DM,
    L1_DESK,
    MALLORY,
    dm,
    load,
)
from tests.adapters.slack.conftest import BOT_TOKEN, SlackBot, posted_to, wait_for
from tests.adapters.slack.test_flow import ask_and_log, press, whispered
from tests.adapters.slack.transports import http

GRACE_SECONDS = 0.7


def test_a_redelivered_event_is_answered_once(
    any_bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supportbot.core")
    body = dm("I forgot my password")
    any_bot.transport.event(body)
    any_bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM))

    any_bot.transport.event(body, retry=1)
    key = f"slack:{body['event_id']}"
    wait_for(lambda: any(key in r.getMessage() for r in caplog.records), what="the redelivery")
    assert len(any_bot.standin.calls_of("chat.postMessage")) == 1


def test_a_first_socket_mode_delivery_with_retry_attempt_zero_is_answered(
    socket_bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supportbot.slack")
    socket_bot.transport.event(dm("I forgot my password"), retry=0)
    socket_bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM))
    assert not [r for r in caplog.records if "redelivery" in r.getMessage()]


@pytest.mark.parametrize(
    ("secret", "age_seconds"),
    [("not-the-signing-secret", 0), (None, 10 * 60)],
    ids=["bad signature", "stale timestamp"],
)
def test_a_forged_or_replayed_request_gets_401_and_nothing_happens(
    bot: SlackBot, secret: str | None, age_seconds: int
) -> None:
    raw = json.dumps(dm("I forgot my password", user=BOB, channel=BOB_DM)).encode()
    stamp = int(time.time()) - age_seconds
    answer = bot.http.post(raw, "application/json", timestamp=stamp, secret=secret)
    assert answer.status == 401

    bot.transport.event(dm("I forgot my password"))
    bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM))
    time.sleep(GRACE_SECONDS)
    assert bot.standin.calls_of("chat.postMessage", posted_to(BOB_DM)) == []


def test_slacks_url_verification_challenge_is_answered(bot: SlackBot) -> None:
    body = load("url_verification.json")
    answer = bot.http.post(json.dumps(body).encode(), "application/json")
    assert (answer.status, answer.json()) == (200, {"challenge": body["challenge"]})


def test_slacks_ssl_check_is_answered_without_doing_anything(bot: SlackBot) -> None:
    answer = bot.http.post(b"ssl_check=1&token=XXYYZZ", "application/x-www-form-urlencoded")
    assert answer.status == 200
    assert bot.standin.calls == []


def test_a_429_is_waited_out_and_the_answer_still_arrives(bot: SlackBot) -> None:
    slack = bot.standin
    slack.rate_limit("chat.postMessage", retry_after=1)
    bot.transport.event(dm("I forgot my password"))

    slack.wait_for("chat.postMessage", posted_to(ALICE_DM))
    statuses = [call.status for call in slack.calls_of("chat.postMessage")]
    # The stand-in answers 429 again to a retry that comes before Retry-After has passed.
    assert statuses == [429, 200]


def test_an_ok_false_answer_is_logged_with_its_method_and_the_bot_carries_on(
    bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    slack = bot.standin
    slack.fail("chat.postMessage", "channel_not_found")
    bot.transport.event(dm("I forgot my password"))

    def logged() -> bool:
        return any(
            "chat.postMessage" in r.getMessage() and "channel_not_found" in r.getMessage()
            for r in caplog.records
        )

    wait_for(logged, what="the failed call in the log")
    bot.transport.event(dm("I forgot my password", user=BOB, channel=BOB_DM))
    slack.wait_for("chat.postMessage", posted_to(BOB_DM))


def test_an_unreachable_requester_is_recorded_in_the_history(bot: SlackBot) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    slack.fail("chat.postMessage", "is_archived")  # Alice's DM is gone when she is told
    press(bot, ping, "ping_claim", "U0LINA0001")

    wait_for(
        lambda: Action.REQUESTER_UNREACHABLE in [e.action for e in bot.history(ref)],
        what="the unreachable requester in the history",
    )


def test_a_click_by_someone_not_on_the_staff_is_refused_politely_and_changes_nothing(
    bot: SlackBot,
) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_claim", MALLORY)

    refusal = whispered(slack, MALLORY, f"only L1 support staff can act on {ref}")
    assert refusal.args["channel"] == L1_DESK
    request = bot.request(ref)
    assert request is not None
    assert (request.status, request.claimed_by) == (Status.OPEN, None)
    assert [e.action for e in bot.history(ref)] == [Action.LOGGED, Action.REFUSED]
    assert slack.calls_of("chat.update", lambda c: c.args.get("channel") == L1_DESK) == []


def test_a_failing_register_gets_the_person_the_apology_not_an_error(
    bot: SlackBot, tmp_path: Path
) -> None:
    with sqlite3.connect(tmp_path / "register.sqlite3") as database:
        database.execute("DROP TABLE inquiries")
    bot.transport.event(dm("I forgot my password"))
    apology = bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM))
    assert apology.args["text"].startswith("Sorry, something went wrong on our side")


def test_healthz_answers_200_while_the_register_is_reachable(any_bot: SlackBot) -> None:
    answer = http("GET", f"{any_bot.base_url}/healthz")
    assert (answer.status, answer.body) == (200, b"ok\n")


def test_healthz_answers_503_when_the_register_is_not_reachable() -> None:
    service = HttpService(SlackWsgi(None, lambda: False), "127.0.0.1", 0)
    service.start()
    try:
        answer = http("GET", "http://{}:{}/healthz".format(*service.address))
        assert answer.status == 503
    finally:
        service.stop()


def test_in_socket_mode_the_http_port_takes_no_events(
    any_bot: SlackBot, request: pytest.FixtureRequest
) -> None:
    answer = any_bot.http.post(json.dumps(dm("hi")).encode(), "application/json")
    expected = 404 if any_bot.settings.slack.socket_mode else 200
    assert answer.status == expected


def test_slack_environment_variables_never_replace_our_settings(
    bot_among_slack_variables: SlackBot,
) -> None:
    bot = bot_among_slack_variables
    bot.transport.event(dm("I forgot my password"))
    answer = bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM))
    assert answer.headers["authorization"] == f"Bearer {BOT_TOKEN}"
