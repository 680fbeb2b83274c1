"""The real composition (`serve`, PTB, the desk, a SQLite register) against the Bot API stand-in."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import SecretStr

from bot.bootstrap import open_register
from bot.core.model import HistoryEntry
from bot.telegram.platform import TelegramPlatform
from config.settings import Settings, StaffSettings, TelegramSettings
from tests.adapters.harness import serving, wait_for
from tests.adapters.telegram.builders import CARLOS, DEV, L1_GROUP, L2_GROUP, L3_GROUP, LINA
from tests.adapters.telegram_standin import BotApiStandIn

T = TypeVar("T")
WEBHOOK_SECRET = "s3cr3t-T0ken_abc"
SITES = ["Kenya", "Uganda"]

ARTICLES = {
    "forgot-password.md": """---
id: forgot-password
title: Reset a forgotten password
tags: [password, forgot, reset, login]
language: en
url: https://help.example.org/forgot-password
---
If you forgot your password, you can set a new one from the login page.

## Steps
1. Open the login page and tap **Forgot password?**
1. Enter your e-mail address & tap *Send*.
1. Open the link in the e-mail <within 24 hours> and choose a new password.
""",
    "account-locked.md": """---
id: account-locked
title: Your account is locked
tags: [locked, password, login, attempts]
language: en
---
After five wrong passwords your account is locked for 30 minutes.

- Wait 30 minutes, then log in again.
- Or ask your site administrator to unlock it.
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class RunningBot:
    """A bot being served, its Bot API stand-in and its settings."""

    api: BotApiStandIn
    settings: Settings
    platform: TelegramPlatform
    started: list[threading.Thread] = field(default_factory=list)

    def history(self, ref: str) -> list[HistoryEntry]:
        register = open_register(self.settings)
        try:
            with register.unit_of_work() as uow:
                return uow.requests.history(ref)
        finally:
            register.close()

    def remembers(self, message: dict[str, Any]) -> bool:
        """Whether the register knows this bot message as a ping or notice (replies to it then
        reach the request): the router records it just after Telegram accepted it."""
        register = open_register(self.settings)
        try:
            with register.unit_of_work() as uow:
                chat, number = str(message["chat"]["id"]), str(message["message_id"])
                return uow.posted.find("telegram", chat, number) is not None
        finally:
            register.close()

    def wait_for_message(
        self, chat_id: int, predicate: Callable[[dict[str, Any]], bool], what: str = ""
    ) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            return next((m for m in self.api.sent(chat_id) if predicate(m)), None)

        return wait_for(found, what=what or f"a message to {chat_id}")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables; the stand-in is on 127.0.0.1 (PLATFORMS.md pitfall 12).
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as stand_in:  # a fresh token per test (PLATFORMS.md pitfall 11)
        yield stand_in


def make_settings(
    api: BotApiStandIn, tmp_path: Path, kb_dir: Path, *, webhook: bool = False
) -> Settings:
    hook: dict[str, Any] = {}
    if webhook:
        port = free_port()
        hook = {
            "webhook_url": f"http://127.0.0.1:{port}/telegram-hook",
            "webhook_secret": SecretStr(WEBHOOK_SECRET),
            "webhook_host": "127.0.0.1",
            "webhook_port": port,
        }
    telegram = TelegramSettings(
        token=SecretStr(api.token),
        api_url=api.api_url,
        l1_chat_id=str(L1_GROUP),
        l2_chat_id=str(L2_GROUP),
        l3_chat_id=str(L3_GROUP),
        **hook,
    )
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'register.sqlite3'}",
        kb_path=kb_dir,
        min_score=10,
        sites=SITES,
        telegram=telegram,
        staff=StaffSettings(
            l1=[f"telegram:{LINA.id}"], l2=[f"telegram:{CARLOS.id}"], l3=[f"telegram:{DEV.id}"]
        ),
    )


@contextmanager
def running_bot(
    api: BotApiStandIn,
    settings: Settings,
    membership_clock: Callable[[], float] = time.monotonic,
) -> Iterator[RunningBot]:
    """The real composition on a thread (tests/adapters/harness.py)."""
    platform = TelegramPlatform(settings.telegram)
    with serving(
        settings, [platform], lambda: platform.is_running, membership_clock=membership_clock
    ):
        yield RunningBot(api, settings, platform)


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def bot(api: BotApiStandIn, tmp_path: Path, kb_dir: Path, mode: str) -> Iterator[RunningBot]:
    settings = make_settings(api, tmp_path, kb_dir, webhook=mode == "webhook")
    with running_bot(api, settings) as running:
        yield running
