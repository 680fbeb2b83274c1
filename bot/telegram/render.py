"""The core's replies and pings as Telegram messages: HTML text and inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.outgoing import (
    ArticleChoice,
    KnownIssueReply,
    PingView,
    Reply,
    SuggestionsReply,
    TextReply,
)
from bot.telegram.callbacks import (
    STAFF_VERBS,
    Choice,
    LanguageChoice,
    NoneHelped,
    SiteChoice,
    Solved,
    StaffClick,
    encode,
)
from bot.telegram.markup import escape, inline_html, markdown_to_html, split_html

# Each language's own name for itself: the same on every button, whatever the reader's language.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ar": "العربية",
}


@dataclass(frozen=True)
class TelegramMessage:
    """One message to send: Telegram HTML and, optionally, the buttons under it."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def render_reply(reply: Reply) -> list[TelegramMessage]:
    if isinstance(reply, TextReply):
        return render_text(reply.text)
    if isinstance(reply, KnownIssueReply):
        # "My problem is different" is the suggestions' "none helped": the same button data.
        different = _button(reply.different_label, NoneHelped(reply.inquiry_id))
        return render_text(reply.text, InlineKeyboardMarkup([[different]]))
    return render_suggestions(reply)


def render_text(text: str, keyboard: InlineKeyboardMarkup | None = None) -> list[TelegramMessage]:
    """Plain text, escaped, split where needed; the buttons go under the last part."""
    return _with_keyboard(split_html(escape(text)), keyboard)


def render_suggestions(reply: SuggestionsReply) -> list[TelegramMessage]:
    """The articles themselves, readable without opening a link (field users on slow networks),
    and under the last part one "this solved it" button per article and "none helped"."""
    sections = [f"<b>{escape(reply.intro)}</b>"]
    sections += [_article(number, article) for number, article in enumerate(reply.articles, 1)]
    return _with_keyboard(split_html("\n\n".join(sections)), suggestions_keyboard(reply))


def _article(number: int, article: ArticleChoice) -> str:
    parts = [f"<b>{number}. {escape(article.title)}</b>"]
    body = markdown_to_html(article.body) if article.body.strip() else inline_html(article.excerpt)
    if body:
        parts.append(body)
    if article.url:
        parts.append(escape(article.url))
    if article.original_title is not None and article.original_label is not None:
        original = f"{article.original_label}: {article.original_title}"
        link = f" {escape(article.original_url)}" if article.original_url else ""
        parts.append(f"<i>{escape(original)}</i>{link}")
    return "\n".join(parts)


def suggestions_keyboard(reply: SuggestionsReply) -> InlineKeyboardMarkup:
    rows = [
        [_button(f"✓ {number} {reply.solved_label}", Solved(reply.inquiry_id, number - 1))]
        for number in range(1, len(reply.articles) + 1)
    ]
    rows.append([_button(reply.none_label, NoneHelped(reply.inquiry_id))])
    return InlineKeyboardMarkup(rows)


def render_ping(view: PingView, hint: str) -> TelegramMessage:
    """A ping is one message (it is edited later): the title, the fields, and the buttons of
    the actions staff may take now. Replying is done by answering the message, hence `hint`."""
    # A long title of blank lines would be split off as a part with no text and dropped.
    lines = [f"<b>{escape(view.title.strip())}</b>", *(escape(line) for line in view.lines)]
    verbs = {action.verb for action in view.actions}
    if "reply" in verbs:
        lines.append(f"<i>{escape(hint)}</i>")
    buttons = [
        _button(action.label, StaffClick(action.verb, action.ref))
        for action in view.actions
        if action.verb in STAFF_VERBS
    ]
    keyboard = InlineKeyboardMarkup([buttons]) if buttons else None
    return TelegramMessage(split_html("\n".join(lines))[0], keyboard)


def language_keyboard(languages: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [_button(LANGUAGE_NAMES.get(code, code), LanguageChoice(code)) for code in languages]
    return InlineKeyboardMarkup(_rows(buttons, 3))


def site_keyboard(sites: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [_button(site, SiteChoice(index)) for index, site in enumerate(sites)]
    return InlineKeyboardMarkup(_rows(buttons, 2))


def _button(label: str, choice: Choice) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(choice))


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[start : start + width] for start in range(0, len(buttons), width)]


def _with_keyboard(
    parts: list[str], keyboard: InlineKeyboardMarkup | None
) -> list[TelegramMessage]:
    messages = [TelegramMessage(part) for part in parts]
    if keyboard is not None:
        if not messages:
            messages.append(TelegramMessage("…"))
        messages[-1] = TelegramMessage(messages[-1].html, keyboard)
    return messages
