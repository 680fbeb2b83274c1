"""Hostile text at the Slack edge: whatever people or the KB write, no link, mention, @channel or
@here can be forged in what the bot posts (mrkdwn `<…>` sequences need a raw `<`).

Plain-text objects (headers, button labels, modal titles) are shown literally by Slack and are
not checked; every mrkdwn text and every message's top-level `text` is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import Level, Status
from bot.core.outgoing import ArticleChoice, PingView, StaffAction, SuggestionsReply, TextReply
from bot.slack.render import (
    Message,
    chosen_blocks,
    home_view,
    ping_message,
    reply_message,
    suggestions_message,
)
from tests.adapters.slack.builders import (
    ALICE,
    ALICE_DM,
    BOB,
    BOB_DM,
    L1_DESK,
    LINA,
    click,
    dm,
    submission,
    thread_reply,
)
from tests.adapters.slack.conftest import SlackBot, posted_to
from tests.adapters.slack.test_flow import ask_and_log, ping_in, press, whispered
from tests.adapters.slack_standin import Call

FRAGMENTS = [
    "<!channel>", "<!here>", "<!everyone>", "<@U0123ABC>", "<#C0L1DESK01>",
    "<!subteam^S0123|@admins>", "<http://evil.example|click>", "<https://evil.example>",
    "*bold*", "_it_", "~s~", "`c`", "```", "&lt;", "&gt;", "&amp;", "&", "&#60;", "<", ">",
    "<b>", "</b>", '<a href="http://evil.example">x</a>', "&lt;!channel&gt;", "@channel",
    "\u200b", "\u202e", "\u2066", "\ufeff", "\x00", "\x1b[31m", "\n", "\t", "> quote",
    "http://evil.example/?a=1&b=<2>", "|", "SR-1",
]  # fmt: skip
fragment = st.sampled_from(FRAGMENTS) | st.text(max_size=12)
hostile = st.lists(fragment, max_size=30).map("".join) | st.builds(
    lambda piece, times: piece * times, st.sampled_from(FRAGMENTS), st.integers(200, 2500)
)
url = st.sampled_from([None, "https://help.example.org/a?x=1&y=2"]) | hostile
# Only a web link of ours may stand in angle brackets: `<https://…>` with nothing that could
# end it early or give it a label.
OWN_LINK = re.compile(r"<https?://[^\s<>|]+>")
ENTITY = re.compile(r"&(?:amp|lt|gt);")


def mrkdwn_texts(message: Message) -> Iterator[str]:
    yield message.text
    yield from texts_in(message.blocks or [])


def texts_in(node: Any) -> Iterator[str]:
    """Every mrkdwn text object's text, however deep in the blocks."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            yield str(node["text"])
        for value in node.values():
            yield from texts_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts_in(item)


def assert_inert(text: str) -> None:
    """No raw `<` or `>` but our own web links; every `&` starts one of Slack's three escapes."""
    outside_links = OWN_LINK.sub("", text)
    assert not re.search("[<>]", outside_links), text
    assert all(ENTITY.match(text, match.start()) for match in re.finditer("&", text)), text


def assert_message_inert(message: Message) -> None:
    for text in mrkdwn_texts(message):
        assert_inert(text)


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@given(text=hostile)
def test_a_text_reply_keeps_every_character_and_forges_nothing(text: str) -> None:
    message = reply_message(TextReply(text), ALICE)
    assert message.blocks is None
    assert_inert(message.text)
    assert unescape(message.text) == text


@given(title=hostile, name=hostile, question=hostile, label=hostile)
def test_a_ping_with_hostile_fields_forges_nothing(
    title: str, name: str, question: str, label: str
) -> None:
    view = PingView(
        ref="SR-1",
        level=Level.L1,
        status=Status.OPEN,
        title=title,
        lines=(f"Requester: {name} (slack)", f"Question: {question}", name),
        actions=(StaffAction("claim", "SR-1", label),),
    )
    assert_message_inert(ping_message(view))


@given(intro=hostile, title=hostile, excerpt=hostile, link=url, label=hostile)
@settings(max_examples=150)
def test_suggestions_with_hostile_articles_forge_nothing(
    intro: str, title: str, excerpt: str, link: str | None, label: str
) -> None:
    article = ArticleChoice("a1", title, excerpt, link, "en", body=excerpt)
    reply = SuggestionsReply(7, intro, (article, article), label, label)
    message = suggestions_message(reply, ALICE)
    assert_message_inert(message)
    assert_message_inert(Message("", chosen_blocks(message.blocks or [], "article:1", label)))


@given(lines=st.lists(hostile, max_size=4))
def test_the_home_tab_with_hostile_status_lines_forges_nothing(lines: list[str]) -> None:
    for text in texts_in(home_view(lines)):
        assert_inert(text)


HOSTILE_QUESTIONS = [
    "<!channel> my password <@U0BOSS001> &lt;b&gt; <http://evil.example|reset here>",
    "*URGENT* _please_ ~now~ `rm` &amp; &#60;!here&#62; \u202eevil\u202c \u200bhidden",
    "help " + "&<>" * 500,
]


def chat_calls(call: Call) -> Message:
    return Message(str(call.args.get("text", "")), call.args.get("blocks"))


QUESTION_IDS = ["markup", "formatting-and-invisibles", "long"]


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS, ids=QUESTION_IDS)
def test_hostile_questions_reach_the_staff_channel_and_the_requester_inert(
    bot: SlackBot, question: str
) -> None:
    slack = bot.standin
    bot.transport.event(dm(question, user=BOB, channel=BOB_DM))
    answer = slack.wait_for("chat.postMessage", posted_to(BOB_DM))
    if answer.args.get("blocks"):  # the KB suggested something: none of it helped
        bot.transport.interaction(click(answer, "suggestion_none", user=BOB))
    ping = ping_in(bot, L1_DESK)
    reply = thread_reply(question, user=LINA, channel=L1_DESK, thread_ts=ping.response["ts"])
    bot.transport.event(reply)
    slack.wait_for("chat.postMessage", posted_to(BOB_DM, "Support team"))

    for call in slack.calls_of("chat.postMessage") + slack.calls_of("chat.postEphemeral"):
        assert_message_inert(chat_calls(call))
    assert "<!channel>" not in str(ping.args)


def test_a_staff_reply_with_a_forged_link_reaches_the_requester_as_text(bot: SlackBot) -> None:
    slack = bot.standin
    ref, ping = ask_and_log(bot)
    press(bot, ping, "ping_reply", LINA)
    modal = slack.wait_for("views.open")
    forged = "See <https://evil.example|the official form> <!here>"
    bot.transport.interaction(submission(modal, user=LINA, text=forged))
    whispered(slack, LINA, f"Your reply to {ref} was sent")
    notice = slack.wait_for("chat.postMessage", posted_to(ALICE_DM, "Support team"))
    assert_inert(notice.args["text"])
    assert "&lt;https://evil.example|the official form&gt; &lt;!here&gt;" in notice.args["text"]
