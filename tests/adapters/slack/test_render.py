"""Block Kit rendering, as pure functions: what people see, and what they cannot forge."""

from __future__ import annotations

from typing import Any

from bot.core.model import Level, Status
from bot.core.outgoing import ArticleChoice, PingView, StaffAction, SuggestionsReply, TextReply
from bot.slack.render import (
    HEADER_LIMIT,
    MODAL_TITLE_LIMIT,
    RESOLVE_VIEW,
    ModalContext,
    asker_of,
    chosen_blocks,
    escape,
    input_modal,
    ping_message,
    reply_message,
    safe_url,
    submitted_text,
    suggestions_message,
)

ARTICLES = (
    ArticleChoice(
        "forgot-password",
        "Reset <your> password",
        "Open the login page.",
        "https://help.example.org/a?x=1&y=2",
        "en",
    ),
    ArticleChoice("locked", "Account locked", "", None, "en"),
    ArticleChoice("evil", "Evil", "x", "javascript:alert(1)", "en"),
)
SUGGESTIONS = SuggestionsReply(
    inquiry_id=7,
    intro="These articles may help:",
    articles=ARTICLES,
    solved_label="This solved it",
    none_label="None of these helped",
)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [b["accessory"] for b in blocks if "accessory" in b]
    for block in blocks:
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
    return found


def test_escaping_defuses_links_mentions_and_channel_wide_pings() -> None:
    assert escape("<!channel> & <https://evil|bank>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil|bank&gt;"
    )


def test_a_text_reply_is_sent_as_escaped_text_without_blocks() -> None:
    message = reply_message(TextReply("Logged as SR-1 <@U0BOSS>"), "U0ALICE001")
    assert message.text == "Logged as SR-1 &lt;@U0BOSS&gt;"
    assert message.blocks is None


def test_each_suggestion_has_a_solved_button_and_there_is_one_none_button() -> None:
    blocks = suggestions_message(SUGGESTIONS, "U0ALICE001").blocks or []
    values = [(b["action_id"], b["value"]) for b in buttons(blocks)]
    assert values == [
        ("suggestion_solved", "7:forgot-password"),
        ("suggestion_solved", "7:locked"),
        ("suggestion_solved", "7:evil"),
        ("suggestion_none", "7"),
    ]


def test_a_suggestion_shows_its_title_in_bold_its_excerpt_and_a_safe_link() -> None:
    blocks = suggestions_message(SUGGESTIONS, "U0ALICE001").blocks or []
    first, second, third = (b["text"]["text"] for b in blocks[1:4])
    assert first == (
        "*Reset &lt;your&gt; password*\nOpen the login page.\n"
        "<https://help.example.org/a?x=1&amp;y=2>"
    )
    assert second == "*Account locked*"
    assert "javascript" not in third


def test_only_web_links_that_cannot_break_out_of_their_brackets_are_linked() -> None:
    assert safe_url("https://example.org/a b") is None
    assert safe_url("https://example.org/a|b") is None
    assert safe_url("mailto:x@example.org") is None
    assert safe_url("http://example.org/x") == "http://example.org/x"


def test_the_suggestions_remember_who_they_were_for() -> None:
    blocks = suggestions_message(SUGGESTIONS, "U0ALICE001").blocks or []
    assert asker_of(blocks) == "U0ALICE001"
    assert asker_of([]) is None


def test_after_a_choice_no_button_is_left_and_the_choice_is_marked_under_its_article() -> None:
    blocks = suggestions_message(SUGGESTIONS, "U0ALICE001").blocks or []
    after = chosen_blocks(blocks, "article:2", "This solved it")
    assert buttons(after) == []
    assert not any(b["type"] == "actions" for b in after)
    marked = [i for i, b in enumerate(after) if b["type"] == "context"]
    assert marked == [3]
    assert after[2]["block_id"] == "article:2"


def test_none_of_these_helped_is_marked_after_the_last_article() -> None:
    blocks = suggestions_message(SUGGESTIONS, "U0ALICE001").blocks or []
    after = chosen_blocks(blocks, "feedback:U0ALICE001", "None of these helped")
    assert after[-1]["type"] == "context"
    assert "None of these helped" in after[-1]["elements"][0]["text"]


def view(actions: tuple[str, ...], title: str = "New support request SR-1") -> PingView:
    return PingView(
        ref="SR-1",
        level=Level.L1,
        status=Status.OPEN,
        title=title,
        lines=("Requester: Bob <!here> (slack)", "Question: how & why"),
        actions=tuple(StaffAction(verb, "SR-1", verb.title()) for verb in actions),
    )


def test_a_ping_has_a_header_its_lines_and_only_the_allowed_buttons() -> None:
    blocks = ping_message(view(("claim", "escalate"))).blocks or []
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "New support request SR-1", "emoji": True},
    }
    assert blocks[1]["text"]["text"] == (
        "*Requester:* Bob &lt;!here&gt; (slack)\n*Question:* how &amp; why"
    )
    assert [(b["action_id"], b["value"]) for b in buttons(blocks)] == [
        ("ping_claim", "SR-1"),
        ("ping_escalate", "SR-1"),
    ]


def test_a_resolved_ping_has_no_buttons_and_a_long_title_fits_the_header() -> None:
    blocks = ping_message(view((), title="x" * 400)).blocks or []
    assert [b["type"] for b in blocks] == ["header", "section"]
    assert len(blocks[0]["text"]["text"]) == HEADER_LIMIT


def test_a_modal_remembers_its_request_and_where_it_was_opened() -> None:
    context = ModalContext(ref="SR-12", channel="C0L1DESK01", thread=None)
    modal = input_modal(RESOLVE_VIEW, "Resolve the request", context, optional=True)
    assert modal["callback_id"] == RESOLVE_VIEW
    assert ModalContext.load(modal["private_metadata"]) == context
    assert len(modal["title"]["text"]) <= MODAL_TITLE_LIMIT
    assert modal["blocks"][0]["optional"] is True


def test_broken_modal_metadata_is_recognised_as_such() -> None:
    assert ModalContext.load("") is None
    assert ModalContext.load('{"channel": "C1"}') is None


def test_the_text_typed_into_a_modal_is_read_back() -> None:
    state = {"values": {"answer": {"text": {"type": "plain_text_input", "value": "Done"}}}}
    assert submitted_text({"state": state}) == "Done"
    assert submitted_text({"state": {"values": {}}}) == ""
