"""Reading Slack payloads, users and settings: pure functions, no network."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from bot.core.model import Person
from bot.slack.listeners import apology_spot, describe
from bot.slack.payloads import (
    event_key,
    inquiry_choice,
    is_from_a_person,
    language_of,
    plain_text,
    retry_attempt,
    solved_choice,
)
from bot.slack.people import person_from_profile
from bot.slack.replies import Spot
from config.settings import SlackSettings
from tests.adapters.slack.builders import load

BOT = "U0FAKEBOT1"


def message(**fields: object) -> dict[str, object]:
    return {"type": "message", "user": "U0ALICE001", "text": "hi", **fields}


@pytest.mark.parametrize(
    ("event", "from_a_person"),
    [
        (message(), True),
        (message(subtype="thread_broadcast"), True),
        (message(subtype="file_share"), True),
        (message(subtype="message_changed"), False),
        (message(subtype="message_deleted"), False),
        (message(subtype="channel_join"), False),
        (message(bot_id="B0OTHERBOT"), False),
        (message(user=BOT), False),
        ({"type": "message", "text": "no author"}, False),
    ],
)
def test_only_people_writing_are_answered(event: dict[str, object], from_a_person: bool) -> None:
    assert is_from_a_person(event, BOT) is from_a_person


def test_the_recorded_own_echo_and_edit_are_not_from_a_person() -> None:
    assert not is_from_a_person(load("event_bot_message.json")["event"], BOT)
    assert not is_from_a_person(load("event_message_changed.json")["event"], BOT)


def test_the_text_is_read_as_typed_without_the_bots_mention() -> None:
    slack_text = (
        "<@U0FAKEBOT1> see <https://x.org|the guide> in <#C0GENERAL1|general> &amp; <!here>"
    )
    assert plain_text(slack_text, BOT) == "see the guide in #general & @here"
    assert plain_text("a &lt;b&gt; <@U0BOB00002|bob>", BOT) == "a <b> bob"


def test_the_redelivery_key_is_the_event_id() -> None:
    assert event_key({"event_id": "Ev0123"}) == "slack:Ev0123"
    assert event_key({"type": "block_actions"}) is None


def test_a_socket_mode_first_delivery_counts_as_attempt_zero() -> None:
    # Bolt turns Socket Mode's retry_attempt 0 into the header "0" (PLATFORMS.md pitfall 5).
    assert retry_attempt({"x-slack-retry-num": ["0"]}) == 0
    assert retry_attempt({"x-slack-retry-num": ["2"]}) == 2
    assert retry_attempt({}) == 0


def test_button_values_are_read_and_nonsense_is_refused() -> None:
    assert solved_choice("12:forgot-password") == (12, "forgot-password")
    assert solved_choice("12") is None
    assert solved_choice("x:forgot-password") is None
    assert inquiry_choice("12") == 12
    assert inquiry_choice("12:a") is None


def test_the_slack_locale_becomes_the_desks_language() -> None:
    assert language_of("fr-FR") == "fr"
    assert language_of("pt_BR") == "pt"
    assert language_of(None) is None


def test_a_person_is_named_as_slack_shows_them() -> None:
    profile: dict[str, Any] = {"name": "alice", "real_name": "Alice E", "locale": "es-ES"}
    profile["profile"] = {"display_name": "", "real_name": "Alice Example"}
    assert person_from_profile("U1", profile) == Person("slack", "U1", "Alice Example", "es")
    assert person_from_profile("U2", {}).display_name == "U2"


def test_an_apology_goes_where_the_failed_payload_came_from() -> None:
    mention = load("event_app_mention.json")
    assert apology_spot(mention) == Spot("C0GENERAL1", "U0ALICE001", "1795751117.488657")
    assert apology_spot(load("event_message_im.json")) == Spot("D0DMALICE1", "U0ALICE001")
    click = load("block_actions.json")
    assert apology_spot(click) == Spot("D0DMALICE1", "U0ALICE001")
    command = load("slash_command.json")
    assert apology_spot(command) == Spot("C0GENERAL1", "U0ALICE001")
    assert apology_spot(load("url_verification.json")) is None


def test_a_failed_payload_is_described_without_its_text() -> None:
    described = describe(load("event_message_im.json"))
    assert described == "message Ev000000001"
    assert "hello" not in described


def test_http_mode_without_a_signing_secret_is_a_clear_settings_error() -> None:
    with pytest.raises(ValidationError, match="SUPPORTBOT_SLACK__SIGNING_SECRET is required"):
        SlackSettings(bot_token=SecretStr("xoxb-1-2-abc"))
    socket_mode = SlackSettings(bot_token=SecretStr("xoxb-1-2-abc"), app_token=SecretStr("xapp-1"))
    assert socket_mode.socket_mode


def test_the_api_url_works_with_or_without_a_trailing_slash() -> None:
    settings = SlackSettings(
        bot_token=SecretStr("xoxb-1-2-abc"),
        signing_secret=SecretStr("0123456789abcdef"),
        api_url="http://127.0.0.1:9/api",
    )
    assert settings.api_url == "http://127.0.0.1:9/api/"
