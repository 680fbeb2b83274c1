"""How the core's replies and pings look on Telegram, and what their buttons carry."""

from __future__ import annotations

import pytest

from bot.core.model import Level, Status
from bot.core.outgoing import ArticleChoice, PingView, StaffAction, SuggestionsReply, TextReply
from bot.telegram.callbacks import (
    CALLBACK_DATA_LIMIT,
    LanguageChoice,
    NoneHelped,
    SiteChoice,
    Solved,
    StaffClick,
    decode,
    encode,
)
from bot.telegram.render import (
    language_keyboard,
    render_ping,
    render_reply,
    render_suggestions,
    site_keyboard,
)
from tests.adapters.telegram_standin import parse_html


def article(number: int, body: str = "1. Do this\n1. Then that") -> ArticleChoice:
    return ArticleChoice(
        article_id=f"article-{number}",
        title=f"Article <{number}> & co",
        excerpt="An excerpt",
        url=f"https://help.example.org/{number}",
        language="en",
        body=body,
    )


def suggestions(*articles: ArticleChoice) -> SuggestionsReply:
    return SuggestionsReply(
        inquiry_id=987654321,
        intro="These articles may help:",
        articles=articles,
        solved_label="This solved it",
        none_label="None of these helped",
    )


def ping(actions: tuple[str, ...]) -> PingView:
    return PingView(
        ref="SR-7",
        level=Level.L1,
        status=Status.OPEN,
        title="New support request SR-7",
        lines=("Level: L1", "Question: <b>why</b> & how"),
        actions=tuple(StaffAction(verb, "SR-7", verb.title()) for verb in actions),
    )


def labels_and_data(markup: object) -> list[tuple[str, str]]:
    rows = markup.inline_keyboard  # type: ignore[attr-defined]
    return [(button.text, button.callback_data) for row in rows for button in row]


def test_suggestions_show_each_article_readably_with_one_button_each_and_none_helped() -> None:
    (message,) = render_suggestions(suggestions(article(1), article(2)))
    visible = parse_html(message.html)
    assert "1. Article <1> & co\n1. Do this\n2. Then that\nhttps://help.example.org/1" in visible
    assert "2. Article <2> & co" in visible
    assert labels_and_data(message.keyboard) == [
        ("✓ 1 This solved it", "s:987654321:0"),
        ("✓ 2 This solved it", "s:987654321:1"),
        ("None of these helped", "n:987654321"),
    ]


def test_an_article_without_a_body_shows_its_excerpt() -> None:
    (message,) = render_suggestions(suggestions(article(1, body="")))
    assert "An excerpt" in parse_html(message.html)


def test_long_suggestions_are_split_and_only_the_last_part_has_buttons() -> None:
    long_body = "\n".join(f"1. Step {n} with <b> & more" for n in range(400))
    messages = render_suggestions(suggestions(article(1, long_body), article(2, long_body)))
    assert len(messages) > 2
    assert [m.keyboard is not None for m in messages] == [False] * (len(messages) - 1) + [True]
    for message in messages:
        parse_html(message.html)


def test_a_text_reply_is_escaped() -> None:
    (message,) = render_reply(TextReply("Use <b> & </b> freely"))
    assert message.html == "Use &lt;b&gt; &amp; &lt;/b&gt; freely"
    assert message.keyboard is None


def test_a_ping_shows_its_fields_the_reply_hint_and_only_the_buttons_of_its_actions() -> None:
    message = render_ping(ping(("claim", "reply", "resolve", "escalate")), "Reply to answer.")
    assert parse_html(message.html) == (
        "New support request SR-7\nLevel: L1\nQuestion: <b>why</b> & how\nReply to answer."
    )
    assert labels_and_data(message.keyboard) == [
        ("Claim", "a:claim:SR-7"),
        ("Resolve", "a:resolve:SR-7"),
        ("Escalate", "a:escalate:SR-7"),
    ]


def test_a_resolved_ping_has_no_buttons_and_no_hint() -> None:
    message = render_ping(ping(()), "Reply to answer.")
    assert message.keyboard is None
    assert "Reply to answer." not in message.html


def test_language_and_site_buttons_use_names_and_compact_data() -> None:
    assert labels_and_data(language_keyboard(["en", "fr", "xx"])) == [
        ("English", "l:en"),
        ("Français", "l:fr"),
        ("xx", "l:xx"),
    ]
    very_long = "Ministry of Gender, Labour and Social Development — Kampala regional office"
    assert labels_and_data(site_keyboard(["Kenya", very_long])) == [
        ("Kenya", "t:0"),
        (very_long, "t:1"),
    ]


@pytest.mark.parametrize(
    "choice",
    [
        Solved(2**31, 9),
        NoneHelped(2**62),
        StaffClick("escalate", "SUPPORT-12345678901234"),
        LanguageChoice("pt-BR"),
        SiteChoice(42),
    ],
)
def test_every_choice_fits_in_callback_data_and_reads_back_the_same(choice: object) -> None:
    data = encode(choice)  # type: ignore[arg-type]
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert decode(data) == choice


@pytest.mark.parametrize(
    "data", [None, "", "vote:yes", "s:1", "s:x:1", "n:", "a:delete:SR-1", "a:claim:", "t:one"]
)
def test_buttons_this_bot_did_not_make_are_not_understood(data: str | None) -> None:
    assert decode(data) is None


def test_a_choice_too_long_for_telegram_is_refused_when_made() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        encode(StaffClick("claim", "SR-" + "9" * 80))
