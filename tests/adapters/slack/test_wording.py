"""Slack's own words (help, App Home, modals) come from the catalogue in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n.catalogue import BabelCatalogue, load_translations
from bot.slack import wording
from bot.slack.render import BUTTON_LIMIT, HEADER_LIMIT, MODAL_TITLE_LIMIT
from tests.adapters.slack.builders import ALICE, LINA, home_opened
from tests.adapters.slack.conftest import SlackBot, make_settings, running_bot
from tests.adapters.slack.test_commands import run
from tests.adapters.slack.test_flow import ask_and_log, press
from tests.adapters.slack_standin import SlackStandIn

LANGUAGES = ("en", "fr", "es", "pt", "ar")
LONG_REF = "SR-1234567"  # ten million requests: more than a deployment will see


@pytest.fixture(scope="module")
def catalogue() -> BabelCatalogue:
    return BabelCatalogue(load_translations())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("verb", ["reply", "resolve"])
def test_modal_words_fit_slacks_limits_in_every_language(
    catalogue: BabelCatalogue, language: str, verb: str
) -> None:
    say = wording.in_language(catalogue, language)
    title = wording.modal_title(say, verb, LONG_REF)
    words = wording.modal_words(say, verb)
    assert LONG_REF in title
    assert len(title) <= MODAL_TITLE_LIMIT
    assert len(words.submit) <= MODAL_TITLE_LIMIT
    assert len(words.cancel) <= MODAL_TITLE_LIMIT
    assert len(words.label) <= BUTTON_LIMIT


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_heading_fits_a_header_in_every_language(
    catalogue: BabelCatalogue, language: str
) -> None:
    assert len(catalogue.text("slack.home.heading", language)) <= HEADER_LIMIT


def test_support_help_is_in_the_language_the_person_chose(bot: SlackBot) -> None:
    assert "*How to get help*" in run(bot, "help").args["text"]
    run(bot, "language fr")
    help_text = run(bot, "help").args["text"]
    assert "*Comment obtenir de l’aide*" in help_text
    assert "/support status" in help_text


def test_the_home_tab_is_in_the_language_the_person_chose(bot: SlackBot) -> None:
    run(bot, "language es")
    bot.standin.calls.clear()
    bot.transport.event(home_opened(ALICE))
    published = bot.standin.wait_for("views.publish")
    heading = published.args["view"]["blocks"][0]["text"]["text"]
    assert heading == "Sus solicitudes de soporte"


def test_the_reply_modal_is_in_the_staff_language(
    standin: SlackStandIn, tmp_path: Path, kb_dir: Path
) -> None:
    settings = make_settings(standin, tmp_path, kb_dir).model_copy(update={"staff_language": "fr"})
    with running_bot(standin, settings) as bot:
        ref, ping = ask_and_log(bot)
        press(bot, ping, "ping_reply", LINA)
        view = bot.standin.wait_for("views.open").args["view"]
    assert view["title"]["text"] == f"Répondre à {ref}"
    assert view["submit"]["text"] == "Envoyer"
    assert view["blocks"][0]["label"]["text"] == "Votre réponse au demandeur"
