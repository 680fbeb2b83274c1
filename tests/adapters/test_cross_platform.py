"""One bot on Slack and Telegram at once: a request asked on Telegram is worked from Slack, the
requester is told in their language, and a staff action on either platform updates the pings
on both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.core.model import Action, Level, Status
from bot.slack.platform import SlackPlatform
from bot.telegram.platform import TelegramPlatform
from config.settings import Settings, SlackSettings, StaffSettings, TelegramSettings
from tests.adapters.harness import serving
from tests.adapters.slack import builders as slack_people
from tests.adapters.slack.conftest import BOT_TOKEN, SlackBot
from tests.adapters.slack.test_flow import ping_in, press, shown_blocks
from tests.adapters.slack.transports import SIGNING_SECRET, SignedHttp
from tests.adapters.slack_standin import SlackStandIn
from tests.adapters.telegram import steps
from tests.adapters.telegram.builders import CARLOS, LINA, TgUser, buttons
from tests.adapters.telegram.conftest import ARTICLES, SITES, RunningBot, wait_for
from tests.adapters.telegram_standin import BotApiStandIn

L1_GROUP, L2_GROUP = -1001000000001, -1001000000002
AMELIE = TgUser(777777777, "Amélie", "Terrain", "amelie_terrain", language_code="fr")


@dataclass
class BothPlatforms:
    """One `serve` with both platforms, seen from each side with that side's test helpers."""

    slack: SlackBot
    telegram: RunningBot


def both_settings(slack: SlackStandIn, api: BotApiStandIn, tmp_path: Path, kb: Path) -> Settings:
    """L1 lives on Telegram; L2 on both platforms; L3 on Slack only."""
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'register.sqlite3'}",
        kb_path=kb,
        min_score=10,
        sites=SITES,
        slack=SlackSettings(
            bot_token=SecretStr(BOT_TOKEN),
            signing_secret=SecretStr(SIGNING_SECRET),
            api_url=slack.api_url,
            host="127.0.0.1",
            port=0,
            l2_channel=slack_people.L2_DESK,
            l3_channel=slack_people.L3_DESK,
        ),
        telegram=TelegramSettings(
            token=SecretStr(api.token),
            api_url=api.api_url,
            l1_chat_id=str(L1_GROUP),
            l2_chat_id=str(L2_GROUP),
        ),
        staff=StaffSettings(
            l1=[f"telegram:{LINA.id}"],
            l2=[f"slack:{slack_people.CAROL}", f"telegram:{CARLOS.id}"],
            l3=[f"slack:{slack_people.DEV}"],
        ),
    )


@pytest.fixture
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BothPlatforms]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    kb = tmp_path / "kb"
    kb.mkdir()
    for name, text in ARTICLES.items():
        (kb / name).write_text(text, encoding="utf-8")
    with SlackStandIn() as slack, BotApiStandIn() as api:
        slack.users.update(slack_people.PEOPLE)
        settings = both_settings(slack, api, tmp_path, kb)
        yield from serving_both(settings, slack, api)


def serving_both(
    settings: Settings, slack: SlackStandIn, api: BotApiStandIn
) -> Iterator[BothPlatforms]:
    """Both platforms in one `serve`, as `supportbot run` does; stopped at the end."""
    on_slack, on_telegram = SlackPlatform(settings.slack), TelegramPlatform(settings.telegram)

    def started() -> object:
        return on_slack.http_address and on_telegram.is_running

    with serving(settings, [on_slack, on_telegram], started):
        host, port = on_slack.http_address or ("", 0)
        http = SignedHttp(f"http://{host}:{port}")
        yield BothPlatforms(
            SlackBot(slack, settings, on_slack, http, http),
            RunningBot(api, settings, on_telegram),
        )


def told(both: BothPlatforms, text: str) -> dict[str, Any]:
    return both.telegram.wait_for_message(AMELIE.id, lambda m: text in m["text"], repr(text))


def without_buttons(tg: RunningBot, ping: dict[str, Any]) -> bool:
    return not buttons(steps.current(tg, ping))


def test_a_telegram_request_is_escalated_and_resolved_from_slack_and_told_in_french(
    both: BothPlatforms,
) -> None:
    tg, slack = both.telegram, both.slack
    ref, l1_ping = steps.log_request(tg, AMELIE, "I forgot my password")
    steps.press(tg, LINA, l1_ping, "Escalate")

    l2_ping = ping_in(slack, slack_people.L2_DESK)
    assert ref in l2_ping.args["text"]
    told(both, f"Votre demande {ref} nécessite une aide plus spécialisée")

    press(slack, l2_ping, "ping_claim", slack_people.CAROL)
    told(both, f"s’occupe maintenant de votre demande {ref}")
    press(slack, l2_ping, "ping_resolve", slack_people.CAROL)
    modal = slack.standin.wait_for("views.open")
    slack.transport.interaction(
        slack_people.submission(modal, user=slack_people.CAROL, text="Nouveau lien envoyé")
    )
    resolved = told(both, f"Votre demande {ref} est résolue")
    assert "Nouveau lien envoyé" in resolved["text"]

    request = slack.request(ref)
    assert request is not None
    assert (request.requester.platform, request.level, request.status) == (
        "telegram",
        Level.L2,
        Status.RESOLVED,
    )
    actions = [entry.action for entry in slack.history(ref)]
    assert actions == [Action.LOGGED, Action.ESCALATED, Action.CLAIMED, Action.RESOLVED]
    # The Telegram pings, L1 and L2, show it resolved with no button left.
    for ping in (l1_ping, tg.wait_for_message(L2_GROUP, lambda m: ref in m["text"])):
        wait_for(partial(without_buttons, tg, ping), what="the Telegram ping resolved")


def test_a_claim_on_telegram_shows_on_the_slack_ping_of_the_same_level(
    both: BothPlatforms,
) -> None:
    tg, slack = both.telegram, both.slack
    ref, l1_ping = steps.log_request(tg, AMELIE, "I forgot my password")
    steps.press(tg, LINA, l1_ping, "Escalate")
    slack_l2 = ping_in(slack, slack_people.L2_DESK)
    telegram_l2 = tg.wait_for_message(L2_GROUP, lambda m: ref in m["text"], "the L2 ping")
    wait_for(lambda: tg.remembers(telegram_l2), what="the telegram L2 ping recorded")

    steps.press(tg, CARLOS, telegram_l2, "Claim")

    def shows_carlos() -> bool:
        return "Carlos Coord" in str(shown_blocks(slack.standin, slack_l2))

    wait_for(shows_carlos, what="the Slack L2 ping to show the claim made on Telegram")
    told(both, f"s’occupe maintenant de votre demande {ref}")
