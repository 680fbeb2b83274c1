"""Settings: names from CONTRACT.md, placeholders refused, secrets never shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
REAL_LOOKING = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_example_env_file_is_refused_because_its_secrets_are_placeholders() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]


def test_a_real_looking_token_turns_slack_on_and_is_never_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = settings(
        monkeypatch,
        SUPPORTBOT_SLACK__BOT_TOKEN=REAL_LOOKING,
        SUPPORTBOT_SLACK__SIGNING_SECRET="8f742231b10e8888abcd99yyyzzz85a5",
    )
    assert loaded.slack.enabled
    assert REAL_LOOKING not in repr(loaded)
    assert REAL_LOOKING not in str(loaded.model_dump())


def test_the_web_api_url_works_with_or_without_a_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = settings(monkeypatch, SUPPORTBOT_SLACK__API_URL="http://127.0.0.1:8080/api")
    assert loaded.slack.api_url == "http://127.0.0.1:8080/api/"


def test_staff_lists_take_commas_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = settings(
        monkeypatch,
        SUPPORTBOT_STAFF__L1="slack:U1, telegram:2",
        SUPPORTBOT_STAFF__L2='["slack:U3"]',
    )
    assert loaded.staff.l1 == ["slack:U1", "telegram:2"]
    assert loaded.staff.l2 == ["slack:U3"]


def test_with_no_platform_configured_the_missing_settings_are_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert settings(monkeypatch).missing_platform_settings() == [
        "SUPPORTBOT_SLACK__BOT_TOKEN",
        "SUPPORTBOT_TELEGRAM__TOKEN",
    ]


def test_the_example_telegram_settings_alone_are_refused_too(tmp_path: Path) -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    telegram_only = [line for line in lines if not line.startswith("SUPPORTBOT_SLACK__")]
    with_webhook = [re.sub(r"^# (SUPPORTBOT_\w+=)", r"\1", line) for line in telegram_only]
    for kept in (telegram_only, with_webhook):
        env_file = tmp_path / ".env"
        env_file.write_text("\n".join(kept), encoding="utf-8")
        with pytest.raises(ValidationError, match="SUPPORTBOT_TELEGRAM__"):
            Settings(_env_file=env_file)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("SUPPORTBOT_TELEGRAM__TOKEN", "123456789:your-bot-token-from-botfather"),
        ("SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET", "your-webhook-secret"),
        ("SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET", "changeme"),
        ("SUPPORTBOT_SLACK__APP_TOKEN", "xapp-your-app-token"),
        ("SUPPORTBOT_SLACK__SIGNING_SECRET", "<signing secret>"),
    ],
)
def test_a_placeholder_secret_of_an_enabled_platform_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, placeholder: str
) -> None:
    real = {
        "SUPPORTBOT_TELEGRAM__TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        "SUPPORTBOT_TELEGRAM__WEBHOOK_URL": "https://bot.example.org/telegram",
        "SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET": "k3Jd9_qLx-20",
        "SUPPORTBOT_SLACK__BOT_TOKEN": REAL_LOOKING,
        "SUPPORTBOT_SLACK__SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    }
    with pytest.raises(ValidationError, match=f"{name} is a placeholder"):
        settings(monkeypatch, **(real | {name: placeholder}))


def test_real_looking_telegram_secrets_are_accepted_and_never_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token, secret = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "k3Jd9_qLx-20"
    loaded = settings(
        monkeypatch,
        SUPPORTBOT_TELEGRAM__TOKEN=token,
        SUPPORTBOT_TELEGRAM__WEBHOOK_URL="https://bot.example.org/telegram",
        SUPPORTBOT_TELEGRAM__WEBHOOK_SECRET=secret,
    )
    assert loaded.telegram.enabled
    shown = repr(loaded) + str(loaded.model_dump())
    assert token not in shown
    assert secret not in shown
