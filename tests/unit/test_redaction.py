"""Secrets never reach a log line: messages, arguments, URLs and tracebacks are scrubbed."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.redaction import REDACTED, SecretRedactor, install_redaction, secrets_of
from config.settings import Settings, SlackSettings, TelegramSettings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def redacted() -> Iterator[None]:
    undo = install_redaction([TOKEN, SIGNING])
    yield
    undo()


def test_a_secret_in_a_message_or_its_arguments_is_replaced(
    redacted: None, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("some.library")
    with caplog.at_level(logging.DEBUG):
        log.debug("Set Bot API URL: https://api.telegram.org/bot%s", TOKEN)
        log.info("secret " + SIGNING)
    assert TOKEN not in caplog.text
    assert SIGNING not in caplog.text
    assert f"https://api.telegram.org/bot{REDACTED}" in caplog.text
    assert caplog.records[1].getMessage() == f"secret {REDACTED}"


def test_a_secret_as_it_appears_in_a_url_or_a_form_is_replaced_too() -> None:
    redactor = SecretRedactor([TOKEN])
    assert redactor.redact("chat_id=1&token=123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") == (
        f"chat_id=1&token={REDACTED}"
    )


def test_a_secret_in_a_traceback_is_replaced(
    redacted: None, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except ConnectionError:
        with caplog.at_level(logging.ERROR):
            logging.getLogger("supportbot").exception("the bot failed")
    assert "ConnectionError" in caplog.text
    assert TOKEN not in caplog.text
    assert REDACTED in caplog.text


def test_after_undo_records_are_made_as_before(caplog: pytest.LogCaptureFixture) -> None:
    undo = install_redaction([TOKEN])
    undo()
    with caplog.at_level(logging.INFO):
        logging.getLogger("x").info("plain %s", "text")
    assert caplog.records[0].args == ("text",)


def test_a_broken_log_call_is_still_scrubbed_and_left_to_the_handler(redacted: None) -> None:
    record = logging.getLogger("x").makeRecord(
        "x", logging.INFO, __file__, 1, "token " + TOKEN + " %d", ("not a number",), None
    )
    assert TOKEN not in str(record.msg)


def test_very_short_values_are_not_treated_as_secrets() -> None:
    assert SecretRedactor(["abc"]).redact("abc def") == "abc def"


def test_the_secrets_are_the_tokens_the_signing_and_webhook_secrets_and_the_db_password() -> None:
    settings = Settings(
        _env_file=None,
        database_url="postgresql+psycopg://bot:db-pass-1234@db.example.org/supportbot",
        slack=SlackSettings(
            bot_token=SecretStr("xoxb-1-2-abcdef"),
            signing_secret=SecretStr(SIGNING),
            app_token=SecretStr("xapp-1-A0-1-abcdef"),
        ),
        telegram=TelegramSettings(
            token=SecretStr(TOKEN),
            webhook_url="https://bot.example.org/hook",
            webhook_secret=SecretStr("hook-secret_123"),
        ),
    )
    assert sorted(secrets_of(settings)) == sorted(
        [
            "xoxb-1-2-abcdef",
            SIGNING,
            "xapp-1-A0-1-abcdef",
            TOKEN,
            "hook-secret_123",
            "db-pass-1234",
        ]
    )
