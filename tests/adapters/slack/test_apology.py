"""The apology of Bolt's error handler (a failure outside the desk) speaks the person's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.bootstrap import App, build_app
from bot.i18n.catalogue import BabelCatalogue, load_translations
from bot.sla_sweep import outbox_only
from bot.slack.listeners import apologise
from bot.slack.people import SlackPeople
from tests.adapters.slack.builders import ALICE, ALICE_DM, dm
from tests.adapters.slack.conftest import BOT_TOKEN, make_settings
from tests.adapters.slack_standin import Profile, SlackStandIn

CATALOGUE = BabelCatalogue(load_translations())


@pytest.fixture
def app(standin: SlackStandIn, tmp_path: Path, kb_dir: Path) -> Iterator[App]:
    built = build_app(make_settings(standin, tmp_path, kb_dir), outbox_only)
    try:
        yield built
    finally:
        built.close()


def apology_after_a_failure(app: App, standin: SlackStandIn) -> str:
    client = WebClient(token=BOT_TOKEN, base_url=standin.api_url)
    apologise(app.desk, SlackPeople(client), {"event": dm("hello")["event"]}, client)
    whisper = standin.wait_for("chat.postEphemeral", lambda c: c.args.get("user") == ALICE)
    assert whisper.args["channel"] == ALICE_DM
    return str(whisper.args["text"])


def test_the_apology_is_in_the_persons_slack_locale(app: App, standin: SlackStandIn) -> None:
    standin.users[ALICE] = Profile("Alice Example", locale="fr-FR")
    assert apology_after_a_failure(app, standin) == CATALOGUE.text("error.apology", "fr")


def test_the_apology_is_in_the_default_language_when_the_register_fails_too(
    app: App, standin: SlackStandIn, tmp_path: Path
) -> None:
    standin.users[ALICE] = Profile("Alice Example", locale="fr-FR")
    app.close()  # the register is gone: the chosen language cannot be read
    (tmp_path / "register.sqlite3").unlink()
    (tmp_path / "register.sqlite3").mkdir()  # and cannot be made again
    assert apology_after_a_failure(app, standin) == CATALOGUE.text("error.apology", "en")
