"""A whole conversation in each language the bot speaks, through Telegram: the requester's
`language_code` picks the language of the suggestions, the article version and every notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n.catalogue import BabelCatalogue, load_translations
from tests.adapters.telegram.builders import ALICE, LINA, TgUser, button_data
from tests.adapters.telegram.conftest import RunningBot
from tests.adapters.telegram.steps import log_request, press_data
from tests.adapters.translated_kb import ORIGINAL_TITLE, VERSIONS, write_translated_kb

CATALOGUE = BabelCatalogue(load_translations())  # the translations the bot itself loads


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The forgotten-password article in all five languages (overrides the English-only KB)."""
    return write_translated_kb(tmp_path / "kb")


def speaker_of(language: str) -> TgUser:
    return TgUser(ALICE.id, ALICE.first_name, ALICE.last_name, ALICE.username, language)


def resolved_notice(language: str, ref: str) -> str:
    """What the desk tells the requester when staff resolve without a note, as the desk
    composes it from the real catalogue."""
    say = CATALOGUE.text
    again = say("notice.resolved_again", language, ref=ref)
    return say("notice.resolved", language, ref=ref, note=again)


@pytest.mark.parametrize("language", list(VERSIONS))
def test_a_conversation_runs_end_to_end_in_the_requesters_language(
    bot: RunningBot, language: str
) -> None:
    user = speaker_of(language)
    title, question = VERSIONS[language]

    ref, ping = log_request(bot, user, question)

    suggestions = next(
        m for m in bot.api.sent(user.id) if "reply_markup" in m or title in m["text"]
    )
    assert suggestions["text"].startswith(CATALOGUE.text("suggestions.intro", language))
    assert title in suggestions["text"]
    english = CATALOGUE.text("language.name.en", language)
    original = f"{CATALOGUE.text('suggestions.original', language, language=english)}: "
    assert (original + ORIGINAL_TITLE in suggestions["text"]) is (language != "en")

    resolve = next(data for data in button_data(ping) if data == f"a:resolve:{ref}")
    press_data(bot, LINA, ping, resolve)

    expected = resolved_notice(language, ref)
    bot.wait_for_message(user.id, lambda m: m["text"] == expected, f"the notice in {language}")
