"""The real composition (`serve`, Bolt over waitress or Socket Mode, the desk, a SQLite register)
against the Slack Web API stand-in."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import SecretStr

from bot.bootstrap import open_register
from bot.core.model import HistoryEntry, PostedMessage, SupportRequest
from bot.slack.platform import SlackPlatform
from config.settings import Settings, SlackSettings, StaffSettings
from tests.adapters.harness import serving, wait_for
from tests.adapters.slack.builders import (
    ALICE,
    ALICE_DM,
    BOB,
    BOB_DM,
    CAROL,
    DEV,
    L1_DESK,
    L2_DESK,
    L3_DESK,
    LINA,
    PEOPLE,
)
from tests.adapters.slack.transports import SIGNING_SECRET, SignedHttp, SocketMode, Transport
from tests.adapters.slack_standin import Call, SlackStandIn

T = TypeVar("T")
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
APP_TOKEN = "xapp-1-A0FAKEAPP1-1795751117-9f2c1d0e8b7a6c5d4e3f2a1b0c9d8e7f"

ARTICLES = {
    "forgot-password.md": """---
id: forgot-password
title: Reset a forgotten <password> & more
tags: [password, forgot, reset, login]
language: en
url: https://help.example.org/forgot-password?lang=en&src=bot
---
If you forgot your password, set a new one from the login page: tap *Forgot password?*.
""",
    "account-locked.md": """---
id: account-locked
title: Your account is locked
tags: [locked, password, login, attempts]
language: en
---
After five wrong passwords your account is locked for 30 minutes.
""",
    "offline-sync.md": """---
id: offline-sync
title: Records do not sync after working offline
tags: [offline, sync, records]
language: en
---
Connect to the internet and open the app: records sync on their own.
""",
}


@dataclass
class SlackBot:
    """A bot being served by `serve`, the stand-in it talks to, and how to reach it."""

    standin: SlackStandIn
    settings: Settings
    platform: SlackPlatform
    transport: Transport
    http: SignedHttp

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def request(self, ref: str) -> SupportRequest | None:
        register = open_register(self.settings)
        try:
            with register.unit_of_work() as uow:
                return uow.requests.get(ref)
        finally:
            register.close()

    def remembered(self, call: Call) -> PostedMessage | None:
        """The register's record of a message the bot posted (a ping or a notice), if any."""
        register = open_register(self.settings)
        try:
            with register.unit_of_work() as uow:
                return uow.posted.find("slack", call.response["channel"], call.response["ts"])
        finally:
            register.close()

    def wait_until_remembered(self, call: Call) -> Call:
        """The router records a message just after posting it; replies to it need the record."""
        wait_for(lambda: self.remembered(call), what="the posted message in the register")
        return call

    def history(self, ref: str) -> list[HistoryEntry]:
        register = open_register(self.settings)
        try:
            with register.unit_of_work() as uow:
                return uow.requests.history(ref)
        finally:
            register.close()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk honours proxy variables; the stand-in is on 127.0.0.1 (PLATFORMS.md pitfall 12).
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        slack.users.update(PEOPLE)
        slack.dm_channels.update({ALICE: ALICE_DM, BOB: BOB_DM})
        yield slack


def make_settings(
    standin: SlackStandIn, tmp_path: Path, kb_dir: Path, *, socket_mode: bool = False
) -> Settings:
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        signing_secret=None if socket_mode else SecretStr(SIGNING_SECRET),
        app_token=SecretStr(APP_TOKEN) if socket_mode else None,
        api_url=standin.api_url,
        host="127.0.0.1",
        port=0,
        l1_channel=L1_DESK,
        l2_channel=L2_DESK,
        l3_channel=L3_DESK,
    )
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'register.sqlite3'}",
        kb_path=kb_dir,
        min_score=10,  # the tiny test KB must match its questions, whatever the scoring
        slack=slack,
        staff=StaffSettings(l1=[f"slack:{LINA}"], l2=[f"slack:{CAROL}"], l3=[f"slack:{DEV}"]),
    )


@contextmanager
def running_bot(
    standin: SlackStandIn,
    settings: Settings,
    membership_clock: Callable[[], float] = time.monotonic,
) -> Iterator[SlackBot]:
    """The real composition on a thread (tests/adapters/harness.py), reached over HTTP or
    Socket Mode."""
    platform = SlackPlatform(settings.slack)
    with serving(
        settings, [platform], lambda: platform.http_address, membership_clock=membership_clock
    ):
        host, port = platform.http_address or ("", 0)
        http = SignedHttp(f"http://{host}:{port}")
        transport: Transport = http
        if settings.slack.socket_mode:
            wait_for(lambda: standin.socket_connections, 30, "the Socket Mode connection")
            transport = SocketMode(standin)
        yield SlackBot(standin, settings, platform, transport, http)


@pytest.fixture
def bot(standin: SlackStandIn, tmp_path: Path, kb_dir: Path) -> Iterator[SlackBot]:
    """The bot over HTTP (Events API, interactivity and commands on /slack/events)."""
    with running_bot(standin, make_settings(standin, tmp_path, kb_dir)) as running:
        yield running


@pytest.fixture
def socket_bot(standin: SlackStandIn, tmp_path: Path, kb_dir: Path) -> Iterator[SlackBot]:
    """The bot over Socket Mode only."""
    settings = make_settings(standin, tmp_path, kb_dir, socket_mode=True)
    with running_bot(standin, settings) as running:
        yield running


@pytest.fixture(params=["http", "socket_mode"])
def any_bot(
    request: pytest.FixtureRequest, standin: SlackStandIn, tmp_path: Path, kb_dir: Path
) -> Iterator[SlackBot]:
    """The bot over each transport in turn."""
    settings = make_settings(standin, tmp_path, kb_dir, socket_mode=request.param == "socket_mode")
    with running_bot(standin, settings) as running:
        yield running


def posted_to(channel: str, text: str = "") -> Callable[[Any], bool]:
    """Matches a chat call into `channel` whose text contains `text`."""
    return lambda call: call.args.get("channel") == channel and text in call.args.get("text", "")


@pytest.fixture
def bot_among_slack_variables(
    monkeypatch: pytest.MonkeyPatch, standin: SlackStandIn, tmp_path: Path, kb_dir: Path
) -> Iterator[SlackBot]:
    """The bot on a machine where Bolt's own SLACK_* variables point elsewhere."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-0000-someone-elses-token")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "someone-elses-signing-secret")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1234567890.0987654321")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "someone-elses-oauth-secret")
    with running_bot(standin, make_settings(standin, tmp_path, kb_dir)) as running:
        yield running
