"""Hostile text at the Telegram edge: whatever people or the KB write, the HTML the bot sends
parses, carries only the tags the bot itself chose, and links only to web pages."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import Level, Status
from bot.core.outgoing import ArticleChoice, PingView, StaffAction, SuggestionsReply
from bot.core.requester import clean_text
from bot.core.views import summarise
from bot.telegram.markup import MESSAGE_LIMIT, telegram_length
from bot.telegram.render import TelegramMessage, render_ping, render_suggestions, render_text
from tests.adapters.telegram.builders import (
    ALICE,
    L1_GROUP,
    LINA,
    button_data,
    group_chat,
    text_message,
)
from tests.adapters.telegram.conftest import RunningBot, wait_for
from tests.adapters.telegram.steps import REF, has_suggestions, press_data
from tests.adapters.telegram_standin import parse_html

FRAGMENTS = [
    "<b>", "</b>", "<i>x</i>", '<a href="http://evil.example">click</a>', "<tg-spoiler>",
    "<script>", "&amp;", "&lt;", "&gt;", "&", "&#60;", "&quot;", "&nbsp;", "<", ">", '"', "'",
    "<!channel>", "<@U0123ABC>", "<http://evil.example|click>", "*bold*", "_it_", "`c`",
    "```", "[click](javascript:alert(1))", "[x](tg://resolve?domain=evil)",
    "[ok](https://help.example.org/a?b=1&c=2)", "**strong**", "# heading", "1. step", "- item",
    "\u200b", "\u202e", "\u2066", "\ufeff", "\x1b[31m", "\n", "\n\n", "\t", "> quote",
]  # fmt: skip
fragment = st.sampled_from(FRAGMENTS) | st.text(max_size=12)
short_hostile = st.lists(fragment, max_size=30).map("".join)
hostile = short_hostile | st.builds(
    lambda piece, times: piece * times, st.sampled_from(FRAGMENTS), st.integers(300, 2500)
)
TAG = re.compile(r"<(/?)([a-zA-Z-]+)([^<>]*)>")
HREF = re.compile(r'href="([^"]*)"')
KB_TAGS = {"b", "i", "code", "pre", "a"}  # what article Markdown may become


def tags(html_text: str) -> list[str]:
    return [f"{slash}{name}" for slash, name, _ in TAG.findall(html_text)]


def visible(messages: list[TelegramMessage]) -> str:
    """The text people see, without any white space (cuts between messages move it)."""
    return re.sub(r"\s+", "", "".join(parse_html(message.html) for message in messages))


def assert_accepted(messages: list[TelegramMessage]) -> None:
    """What Telegram itself checks: the HTML parses and fits in a message."""
    for message in messages:
        parse_html(message.html)
        assert telegram_length(parse_html(message.html)) <= MESSAGE_LIMIT


@given(text=hostile)
def test_any_text_arrives_as_text_without_a_single_tag(text: str) -> None:
    messages = render_text(text)
    assert_accepted(messages)
    assert all(tags(message.html) == [] for message in messages)
    assert visible(messages) == re.sub(r"\s+", "", text)


def view(title: str, lines: tuple[str, ...]) -> PingView:
    actions = tuple(StaffAction(verb, "SR-1", verb.title()) for verb in ("claim", "reply"))
    return PingView("SR-1", Level.L1, Status.OPEN, title, lines, actions)


@given(title=hostile, name=hostile, question=hostile, hint=short_hostile)
def test_a_ping_with_hostile_fields_has_only_its_own_bold_title_and_italic_hint(
    title: str, name: str, question: str, hint: str
) -> None:
    lines = (f"Requester: {name} (telegram)", f"Question: {question}")
    ping = render_ping(view(title, lines), hint)
    assert_accepted([ping])
    benign = render_ping(view("x", ("x", "x")), "x")
    shown = tags(ping.html)
    assert shown == tags(benign.html)[: len(shown)]  # a cut may drop the end, never add tags
    expected = re.sub(r"\s+", "", "".join([title, *lines, hint]))
    assert expected.startswith(visible([ping]).removesuffix("…"))


def article(title: str, excerpt: str, body: str, url: str | None) -> ArticleChoice:
    return ArticleChoice("a1", title, excerpt, url, "en", body=body)


@given(intro=short_hostile, title=short_hostile, url=short_hostile)
def test_a_hostile_intro_title_or_link_adds_no_tag_to_the_suggestions(
    intro: str, title: str, url: str
) -> None:
    hostile_reply = SuggestionsReply(1, intro, (article(title, "x", "x", url),), "ok", "no")
    benign_reply = SuggestionsReply(1, "x", (article("x", "x", "x", "x"),), "ok", "no")
    messages = render_suggestions(hostile_reply)
    assert_accepted(messages)
    assert [tags(m.html) for m in messages] == [
        tags(m.html) for m in render_suggestions(benign_reply)
    ]


@given(title=hostile, excerpt=hostile, body=hostile, url=hostile | st.none())
@settings(max_examples=150)
def test_hostile_article_markdown_becomes_only_safe_tags_and_web_links(
    title: str, excerpt: str, body: str, url: str | None
) -> None:
    articles = (article(title, excerpt, body, url), article(title, excerpt, "", url))
    messages = render_suggestions(SuggestionsReply(1, "intro", articles, "ok", "no"))
    assert_accepted(messages)
    for message in messages:
        assert {name.lstrip("/") for name in tags(message.html)} <= KB_TAGS
        for href in HREF.findall(message.html):
            assert html.unescape(href).startswith(("https://", "http://")), href


HOSTILE_QUESTIONS = [
    '<b>URGENT</b> <a href="http://evil.example">reset here</a> &amp; &lt;i&gt; my password',
    "<tg-spoiler>password</tg-spoiler> \u202eevil\u202c \u200bhidden &#60;b&#62; *forgot*",
    "password " + "&<>" * 500,
]


QUESTION_IDS = ["markup", "formatting-and-invisibles", "long"]


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS, ids=QUESTION_IDS)
def test_hostile_questions_and_answers_reach_telegram_as_text(
    bot: RunningBot, question: str
) -> None:
    ref, ping = log_request_for(bot, question)
    staff_group = group_chat(L1_GROUP, "L1 site administrators")
    bot.api.push(text_message(LINA, question, chat=staff_group, reply_to=ping))
    notice = bot.wait_for_message(ALICE.id, lambda m: m["text"].startswith("Support team"))
    typed = clean_text(question)  # what people see: exactly what was typed, as text
    wait_for(  # a long answer arrives in several messages
        lambda: typed in "".join(message["text"] for message in bot.api.sent(ALICE.id)),
        what="the whole answer",
    )

    assert notice["text"].startswith(f"Support team (Lina Admin) about {ref}: ")
    assert f"Question: {summarise(typed, 300)}" in ping["text"]
    calls = bot.api.calls_to("sendMessage") + bot.api.calls_to("editMessageText")
    assert calls
    assert all(call.status == 200 for call in calls)
    for call in calls:
        assert {name.lstrip("/") for name in tags(call.args["text"])} <= {"b", "i"}


def log_request_for(bot: RunningBot, question: str) -> tuple[str, dict[str, Any]]:
    """Alice asks `question`; a request is logged at once or after "none of these helped"."""
    before = len(bot.api.sent(L1_GROUP))
    bot.api.push(text_message(ALICE, question))
    answer = bot.wait_for_message(
        ALICE.id, lambda m: has_suggestions(m) or bool(REF.search(m["text"])), "the answer"
    )
    if has_suggestions(answer):
        none_helped = next(data for data in button_data(answer) if data.startswith("n:"))
        press_data(bot, ALICE, answer, none_helped)
    ping = wait_for(lambda: bot.api.sent(L1_GROUP)[before:], what="the L1 ping")[0]
    wait_for(lambda: bot.remembers(ping), what="the ping to be recorded")
    found = re.search(r"\bSR-\d+\b", ping["text"])
    assert found is not None
    return found.group(0), ping
