"""No secret in any log: the Slack and Telegram flows run at DEBUG (ours and the libraries'
loggers) against the stand-ins, in this process and as `supportbot run` in its own, and every
line they log is searched for the bot token, signing secret, app token, Telegram token (PTB
and httpx put it in URLs) and webhook secret."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from pydantic import SecretStr

from bot.redaction import REDACTED, install_redaction, secrets_of
from tests.adapters.slack import conftest as slack_harness
from tests.adapters.slack.builders import ALICE, ALICE_DM, L1_DESK, LINA, MALLORY, PEOPLE, click, dm
from tests.adapters.slack.conftest import posted_to
from tests.adapters.slack.test_flow import ask_and_log, press, whispered
from tests.adapters.slack.transports import SIGNING_SECRET, SocketMode
from tests.adapters.slack_standin import SlackStandIn
from tests.adapters.telegram import conftest as telegram_harness
from tests.adapters.telegram import steps
from tests.adapters.telegram.builders import ALICE as TG_ALICE
from tests.adapters.telegram.builders import L1_GROUP, button_press, text_message
from tests.adapters.telegram.builders import LINA as TG_LINA
from tests.adapters.telegram.builders import MALLORY as TG_MALLORY
from tests.adapters.telegram_standin import BotApiStandIn

LIBRARIES = (
    "slack_bolt", "slack_sdk", "websockets", "waitress", "telegram", "httpx", "httpcore",
    "supportbot",
)  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in slack_harness.ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything at DEBUG: the root logger and each library's own, httpx included."""
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def slack_standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.users.update(PEOPLE)
        yield standin


@pytest.fixture
def telegram_api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as api:
        yield api


def forms(secret: str) -> set[str]:
    """A secret as it could appear in a line: as is, in a URL path or query, in a form."""
    return {secret, quote(secret, safe=""), quote_plus(secret)}


def assert_no_secret(text: str, secrets: list[str]) -> None:
    assert secrets, "the test must know the secrets it looks for"
    for number, secret in enumerate(secrets):
        for form in forms(secret):
            assert form not in text, f"secret number {number} was logged"


def logged_debug_from(caplog: pytest.LogCaptureFixture, library: str) -> bool:
    return any(
        record.name.startswith(library) and record.levelno == logging.DEBUG
        for record in caplog.records
    )


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket_mode"])
def test_a_slack_flow_at_debug_logs_no_secret(
    debug_logs: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    slack_standin: SlackStandIn,
    tmp_path: Path,
    kb_dir: Path,
    socket_mode: bool,
) -> None:
    settings = slack_harness.make_settings(slack_standin, tmp_path, kb_dir, socket_mode=socket_mode)
    if socket_mode:  # the signing secret is set too: it must not show either
        signing = settings.slack.model_copy(update={"signing_secret": SecretStr(SIGNING_SECRET)})
        settings = settings.model_copy(update={"slack": signing})
    secrets = secrets_of(settings)
    undo = install_redaction(secrets)
    try:
        with slack_harness.running_bot(slack_standin, settings) as bot:
            ref, ping = ask_and_log(bot)
            press(bot, ping, "ping_claim", LINA)
            whispered(slack_standin, LINA, f"You have claimed {ref}")
            press(bot, ping, "ping_escalate", MALLORY)  # a membership check with Slack
            whispered(slack_standin, MALLORY, f"only L1 support staff can act on {ref}")
    finally:
        undo()

    assert logged_debug_from(debug_logs, "slack_sdk")
    captured = capfd.readouterr()
    assert_no_secret(debug_logs.text + captured.out + captured.err, secrets)


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_a_telegram_flow_at_debug_logs_no_secret(
    debug_logs: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    telegram_api: BotApiStandIn,
    tmp_path: Path,
    kb_dir: Path,
    webhook: bool,
) -> None:
    settings = telegram_harness.make_settings(telegram_api, tmp_path, kb_dir, webhook=webhook)
    secrets = secrets_of(settings)
    undo = install_redaction(secrets)
    try:
        with telegram_harness.running_bot(telegram_api, settings) as bot:
            ref, ping = steps.log_request(bot, TG_ALICE, "I forgot my password")
            claimed = steps.press(bot, TG_LINA, ping, "Claim")
            assert claimed.args["text"] == f"You have claimed {ref}."
            steps.press(bot, TG_MALLORY, ping, "Escalate")  # a getChatMember
    finally:
        undo()

    assert logged_debug_from(debug_logs, "telegram")
    # PTB logs its API URL, and httpx every request's URL, with the token in it: caught.
    assert REDACTED in debug_logs.text
    captured = capfd.readouterr()
    assert_no_secret(debug_logs.text + captured.out + captured.err, secrets)


def test_supportbot_run_at_debug_prints_no_secret_on_stderr(
    slack_standin: SlackStandIn, telegram_api: BotApiStandIn, tmp_path: Path, kb_dir: Path
) -> None:
    """The real process: its own logging set-up, Slack over Socket Mode (bot token, app token,
    and a signing secret it does not need) and Telegram over a webhook with its secret."""
    env, secrets = run_environment(slack_standin, telegram_api, tmp_path, kb_dir)
    log_file = tmp_path / "supportbot.log"
    with log_file.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,  # no .env of the developer's is read
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            drive_both_platforms(slack_standin, telegram_api)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
    printed = log_file.read_text(encoding="utf-8", errors="replace")

    assert process.returncode == 0, printed[-3000:]
    assert re.search(r" DEBUG (telegram|slack_sdk|slack_bolt)", printed), printed[:3000]
    assert_no_secret(printed, secrets)


def run_environment(
    slack: SlackStandIn, telegram: BotApiStandIn, tmp_path: Path, kb_dir: Path
) -> tuple[dict[str, str], list[str]]:
    webhook_port, health_port = telegram_harness.free_port(), telegram_harness.free_port()
    secrets = {
        "SUPPORTBOT_SLACK__BOT_TOKEN": slack_harness.BOT_TOKEN,
        "SUPPORTBOT_SLACK__APP_TOKEN": slack_harness.APP_TOKEN,
        "SUPPORTBOT_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "SUPPORTBOT_TELEGRAM__TOKEN": telegram.token,
        "SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET": telegram_harness.WEBHOOK_SECRET,
    }
    env = {name: value for name, value in os.environ.items() if not name.startswith("SUPPORTBOT_")}
    env |= secrets | {
        "PYTHONPATH": str(ROOT),
        "SUPPORTBOT_LOG_LEVEL": "DEBUG",
        "SUPPORTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'register.sqlite3'}",
        "SUPPORTBOT_KB_PATH": str(kb_dir),
        "SUPPORTBOT_MIN_SCORE": "10",
        "SUPPORTBOT_SLACK__API_URL": slack.api_url,
        "SUPPORTBOT_SLACK__HOST": "127.0.0.1",
        "SUPPORTBOT_SLACK__PORT": str(health_port),
        "SUPPORTBOT_SLACK__L1_CHANNEL": L1_DESK,
        "SUPPORTBOT_TELEGRAM__API_URL": telegram.api_url,
        "SUPPORTBOT_TELEGRAM__WEBHOOK_URL": f"http://127.0.0.1:{webhook_port}/telegram-hook",
        "SUPPORTBOT_TELEGRAM__WEBHOOK_HOST": "127.0.0.1",
        "SUPPORTBOT_TELEGRAM__WEBHOOK_PORT": str(webhook_port),
        "SUPPORTBOT_TELEGRAM__L1_CHAT_ID": str(L1_GROUP),
    }
    return env, list(secrets.values())


def drive_both_platforms(slack: SlackStandIn, telegram: BotApiStandIn) -> None:
    """A question on each platform, "none of these helped", and the pings that follow."""
    wait = telegram_harness.wait_for
    wait(lambda: slack.socket_connections and telegram.webhook, 60, "the bot to start")
    transport = SocketMode(slack)
    transport.event(dm("I forgot my password"))
    suggestions = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "These articles"), 30)
    transport.interaction(click(suggestions, "suggestion_none", user=ALICE))
    slack.wait_for("chat.postMessage", posted_to(L1_DESK), 30)

    telegram.push(text_message(TG_ALICE, "I forgot my password"))
    shown = wait(lambda: [m for m in telegram.sent(TG_ALICE.id) if steps.has_suggestions(m)], 30)[0]
    none_helped = next(
        button["callback_data"]
        for row in shown["reply_markup"]["inline_keyboard"]
        for button in row
        if button["callback_data"].startswith("n:")
    )
    telegram.push(button_press(TG_ALICE, shown, none_helped))
    wait(lambda: telegram.sent(L1_GROUP), 30, "the Telegram ping")
