"""A whole conversation in each language the bot speaks, through Slack: the requester's locale
from users.info picks the language of the suggestions, the article version and every notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n.catalogue import BabelCatalogue, load_translations
from bot.slack.render import NONE_ACTION, escape
from tests.adapters.slack.builders import ALICE, ALICE_DM, L1_DESK, LINA, click, dm, submission
from tests.adapters.slack.conftest import SlackBot, wait_for
from tests.adapters.slack.test_flow import ping_in, press
from tests.adapters.slack_standin import Call, Profile
from tests.adapters.translated_kb import ORIGINAL_TITLE, VERSIONS, write_translated_kb

REF = re.compile(r"\b[A-Z]+-\d+\b")
NOTE = "Reset link sent again"
CATALOGUE = BabelCatalogue(load_translations())  # the translations the bot itself loads


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The forgotten-password article in all five languages (overrides the English-only KB)."""
    return write_translated_kb(tmp_path / "kb")


def suggestions_in(bot: SlackBot) -> Call:
    def offered(call: Call) -> bool:
        return call.args.get("channel") == ALICE_DM and NONE_ACTION in str(call.args.get("blocks"))

    return bot.standin.wait_for("chat.postMessage", offered)


def context_lines(posted: Call) -> list[str]:
    blocks = posted.args["blocks"]
    return [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


def reference_in(bot: SlackBot) -> str:
    def logged(call: Call) -> bool:
        return call.args.get("channel") == ALICE_DM and bool(REF.search(call.args.get("text", "")))

    found = REF.search(bot.standin.wait_for("chat.postMessage", logged).args["text"])
    assert found is not None
    return found.group(0)


def resolved_notice(language: str, ref: str) -> str:
    """What the desk tells the requester, composed from the real catalogue as the desk does."""
    say = CATALOGUE.text
    note = [say("notice.resolved_note", language, note=NOTE + ".")]
    note.append(say("notice.resolved_again", language, ref=ref))
    return escape(say("notice.resolved", language, ref=ref, note=" ".join(note)))


@pytest.mark.parametrize("language", list(VERSIONS))
def test_a_conversation_runs_end_to_end_in_the_requesters_language(
    bot: SlackBot, language: str
) -> None:
    slack = bot.standin
    slack.users[ALICE] = Profile("Alice Example", locale=f"{language}-XX")
    title, question = VERSIONS[language]

    bot.transport.event(dm(question, user=ALICE, channel=ALICE_DM))
    suggestions = suggestions_in(bot)
    assert suggestions.args["text"].startswith(
        escape(CATALOGUE.text("suggestions.intro", language))
    )
    assert escape(title) in suggestions.args["text"]
    if language != "en":
        english = CATALOGUE.text("language.name.en", language)
        original = CATALOGUE.text("suggestions.original", language, language=english)
        (line,) = context_lines(suggestions)
        assert line.startswith(f"{escape(original)}: <https://help.example.org/forgot-password|")
        assert ORIGINAL_TITLE in line
    else:
        assert context_lines(suggestions) == [], "an original offers no other original"

    bot.transport.interaction(click(suggestions, NONE_ACTION, user=ALICE))
    ref = reference_in(bot)
    ping = ping_in(bot, L1_DESK)
    assert ref in ping.args["text"]

    press(bot, ping, "ping_resolve", LINA)
    modal = slack.wait_for("views.open")
    bot.transport.interaction(submission(modal, user=LINA, text=NOTE))

    expected = resolved_notice(language, ref)
    wait_for(
        lambda: slack.calls_of("chat.postMessage", lambda c: c.args.get("text") == expected),
        what=f"the resolution notice in {language}",
    )
