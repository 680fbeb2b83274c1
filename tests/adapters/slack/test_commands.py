"""The `/support` slash command and the App Home tab."""

from __future__ import annotations

from tests.adapters.slack.builders import ALICE, ALICE_DM, BOB, command, dm, home_opened
from tests.adapters.slack.conftest import SlackBot, posted_to
from tests.adapters.slack.test_flow import ask_and_log
from tests.adapters.slack_standin import Call


def run(bot: SlackBot, text: str, user: str = ALICE) -> Call:
    """Types `/support text` and returns what came back through the response_url."""
    name = f"cmd-{user}-{len(bot.standin.calls_of('response_url'))}"
    url = bot.standin.response_url(name)
    bot.transport.command(command(text, user=user, response_url=url))
    return bot.standin.wait_for("response_url", lambda c: url.endswith(c.path))


def test_support_help_explains_the_commands_only_to_the_person_who_asked(
    any_bot: SlackBot,
) -> None:
    answer = run(any_bot, "help")
    assert answer.args["response_type"] == "ephemeral"
    assert "/support status" in answer.args["text"]


def test_an_unknown_support_command_shows_the_help(bot: SlackBot) -> None:
    assert "/support status" in run(bot, "frobnicate").args["text"]


def test_support_status_lists_only_the_callers_open_requests(any_bot: SlackBot) -> None:
    ref, _ = ask_and_log(any_bot)
    mine = run(any_bot, "status")
    assert ref in mine.args["text"]
    assert mine.args["response_type"] == "ephemeral"

    any_bot.standin.calls.clear()
    assert "no open requests" in run(any_bot, "status", user=BOB).args["text"]


def test_support_language_changes_the_language_of_the_answers(bot: SlackBot) -> None:
    answer = run(bot, "language fr")
    assert answer.args["text"], "the desk confirms the choice"
    refused = run(bot, "language tlh")
    assert "tlh" in refused.args["text"]


def test_support_site_refuses_a_site_that_does_not_exist(bot: SlackBot) -> None:
    assert "Atlantis" in run(bot, "site Atlantis").args["text"]


def test_the_home_tab_shows_the_persons_requests(bot: SlackBot) -> None:
    ref, _ = ask_and_log(bot)
    bot.transport.event(home_opened(ALICE))
    published = bot.standin.wait_for("views.publish")
    assert published.args["user_id"] == ALICE
    assert published.args["view"]["type"] == "home"
    assert ref in str(published.args["view"]["blocks"])


def test_a_question_typed_after_a_language_change_is_still_answered(bot: SlackBot) -> None:
    run(bot, "language fr")
    bot.transport.event(dm("I forgot my password"))
    assert bot.standin.wait_for("chat.postMessage", posted_to(ALICE_DM)).args["blocks"]
