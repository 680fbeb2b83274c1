"""Article Markdown as Telegram HTML, and splitting at 4,096 characters without breaking markup."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.markup import (
    MESSAGE_LIMIT,
    escape,
    markdown_to_html,
    split_html,
    telegram_length,
)
from tests.adapters.telegram_standin import parse_html


def test_steps_become_plain_numbered_lines_even_when_every_step_is_written_as_one() -> None:
    markdown = "## Steps\n1. Open the app\n1. Tap **Sync**\n\n1. Wait\n\nDone.\n- a bullet"
    assert markdown_to_html(markdown) == (
        "<b>Steps</b>\n1. Open the app\n2. Tap <b>Sync</b>\n\n3. Wait\n\nDone.\n• a bullet"
    )


def test_a_new_list_after_a_paragraph_starts_again_at_one() -> None:
    assert markdown_to_html("1. a\n2. b\nThen:\n1. c") == "1. a\n2. b\nThen:\n1. c"


def test_special_characters_are_escaped_and_links_code_and_emphasis_become_tags() -> None:
    markdown = 'Use `a<b>` & see [the guide](https://x.org/?a=1&b="2") or *this* <script>'
    assert markdown_to_html(markdown) == (
        "Use <code>a&lt;b&gt;</code> &amp; see "
        '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">the guide</a> or <i>this</i> '
        "&lt;script&gt;"
    )


def test_code_fences_keep_their_lines_verbatim() -> None:
    assert markdown_to_html("```\nif a < b:\n    go()\n```") == "<pre>if a &lt; b:\n    go()</pre>"


def test_everything_rendered_is_html_that_telegram_accepts() -> None:
    markdown = "# T <1>\n* **b** _u_ `c&d` [l](u)\n> quote & more\n---\n~~~\nx\n"
    parse_html(markdown_to_html(markdown))  # raises like Telegram on bad markup


def test_a_short_message_is_not_split() -> None:
    assert split_html("<b>hi</b> there") == ["<b>hi</b> there"]


def test_splitting_prefers_line_breaks() -> None:
    text = "\n".join(f"line {n:03d} of the article" for n in range(300))
    parts = split_html(text, 1000)
    assert all(part.endswith("of the article") for part in parts)
    assert "\n".join(parts) == text


def test_a_line_break_early_in_a_message_is_not_a_cut_there_but_between_words() -> None:
    text = "Title\n" + "word " * 60  # the only break is in the first half of a 100-unit message
    parts = split_html(text, 100)
    assert parts[0].startswith("Title\nword word")
    assert 95 <= len(parts[0]) <= 100
    assert _words(parts) == _words([text])


def test_lengths_are_counted_in_utf16_units_as_telegram_does() -> None:
    assert telegram_length("plain ascii") == 11
    assert telegram_length("café") == 4
    assert telegram_length("😀") == 2  # outside the BMP: a surrogate pair
    assert telegram_length("a😀é") == 4


def test_tags_do_not_count_towards_the_limit_as_telegram_counts_only_the_text() -> None:
    text = '<a href="https://example.org/a/long/path">' + "word " * 10 + "</a>\n" * 1
    text = text * 80  # 4,000 characters of text, over 7,000 with the tags
    assert telegram_length(parse_html(text)) <= MESSAGE_LIMIT < telegram_length(text)
    assert split_html(text) == [text]


def test_a_tag_open_at_a_cut_is_closed_and_opened_again() -> None:
    parts = split_html("<b>" + "word " * 100 + "</b>", 60)
    assert len(parts) > 1
    assert all(part.startswith("<b>") and part.endswith("</b>") for part in parts)


def test_entities_and_surrogate_pairs_are_never_cut() -> None:
    parts = split_html("&amp;" * 50 + "😀" * 50, 16)
    assert all(telegram_length(parse_html(part)) <= 16 for part in parts)
    assert "".join(parts) == "&amp;" * 50 + "😀" * 50
    for part in parts:
        parse_html(part)


markup_pieces = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60).map(escape),
    st.sampled_from(["\n", "\n\n", " ", "😀", "&amp;", "&lt;"]),
    st.text(alphabet="abc <&>é", min_size=1, max_size=40).map(lambda t: f"<b>{escape(t)}</b>"),
    st.text(alphabet="xyz &", min_size=1, max_size=40).map(
        lambda t: f'<a href="https://e.org/?q=1&amp;r=2"><i>{escape(t)}</i></a>'
    ),
)


@given(pieces=st.lists(markup_pieces, max_size=80), limit=st.integers(150, 600))
def test_every_part_fits_parses_and_together_the_parts_keep_all_the_text(
    pieces: list[str], limit: int
) -> None:
    text = "".join(pieces)
    parts = split_html(text, limit)
    for part in parts:
        assert telegram_length(parse_html(part)) <= limit
        parse_html(part)
    assert _words(parts) == _words([text])


@given(st.text(max_size=3 * MESSAGE_LIMIT))
def test_any_escaped_text_splits_into_messages_telegram_accepts(text: str) -> None:
    for part in split_html(escape(text)):
        assert telegram_length(parse_html(part)) <= MESSAGE_LIMIT
        parse_html(part)


def _words(parts: list[str]) -> str:
    visible = "".join(html.unescape(re.sub(r"<[^<>]*>", "", part)) for part in parts)
    return re.sub(r"\s+", "", visible)
