"""Block Kit rendering of the core's replies and ping views: pure functions, no Slack calls.

Every piece of text that a user or the knowledge base wrote is escaped for mrkdwn, so nobody can
forge a link, a user mention or an @channel through a question, a name or an article title.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.outgoing import (
    ArticleChoice,
    KnownIssueReply,
    PingView,
    Reply,
    SuggestionsReply,
    TextReply,
)
from bot.slack import wording

Block = dict[str, Any]

SOLVED_ACTION = "suggestion_solved"
NONE_ACTION = "suggestion_none"
PING_ACTION_PREFIX = "ping_"  # + verb: ping_claim, ping_reply, ping_resolve, ping_escalate
REPLY_VIEW = "supportbot_reply"
RESOLVE_VIEW = "supportbot_resolve"
FEEDBACK_BLOCK_PREFIX = "feedback:"  # + the asker's user id: only they may answer
INPUT_BLOCK, INPUT_ACTION = "answer", "text"

# Block Kit limits (characters)
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
MODAL_TITLE_LIMIT = 24
EXCERPT_LIMIT = 300
INPUT_LIMIT = 3000


@dataclass(frozen=True)
class Message:
    """What chat.postMessage / chat.update get: fallback text and, optionally, blocks."""

    text: str
    blocks: list[Block] | None = None


def escape(text: str) -> str:
    """Slack's three control characters; `<` and `>` make links, mentions and @channel."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_mrkdwn(text: str, limit: int) -> str:
    """`clip` for escaped mrkdwn: never leaves half an `&amp;` (a bare `&`) or half one of our
    `<https://…>` links (a bare `<`) at the cut."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    entity, link = head.rfind("&"), head.rfind("<")
    if entity >= 0 and ";" not in head[entity:]:
        head = head[:entity]
    if link >= 0 and ">" not in head[link:]:
        head = head[:link]
    return head + "…"


def safe_url(url: str | None) -> str | None:
    """A web link that cannot break out of `<…>` (no spaces, `|`, `<` or `>`), else None."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    if any(ch in url for ch in " |<>\n\t"):
        return None
    return url.replace("&", "&amp;")


def plain(text: str, limit: int = BUTTON_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn_section(text: str, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip_mrkdwn(text, SECTION_LIMIT)},
    }
    if block_id is not None:
        block["block_id"] = block_id
    return block


def button(action_id: str, label: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": plain(label),
        "value": value,
    }
    if style is not None:
        element["style"] = style
    return element


def text_message(text: str) -> Message:
    return Message(text=escape(text))


def reply_message(reply: Reply, asker: str) -> Message:
    """A desk reply as a message to the person who wrote (`asker`: their Slack user id)."""
    if isinstance(reply, TextReply):
        return text_message(reply.text)
    if isinstance(reply, KnownIssueReply):
        return known_issue_message(reply, asker)
    return suggestions_message(reply, asker)


def known_issue_message(reply: KnownIssueReply, asker: str) -> Message:
    """The "known issue" answer; its one button is the suggestions' "none of these helped"
    (same action and block id), so the existing feedback handler logs a request from it."""
    different = button(NONE_ACTION, reply.different_label, str(reply.inquiry_id))
    blocks = [
        mrkdwn_section(escape(reply.text), block_id="known_issue"),
        {"type": "actions", "block_id": f"{FEEDBACK_BLOCK_PREFIX}{asker}", "elements": [different]},
    ]
    return Message(text=escape(reply.text), blocks=blocks)


def article_text(article: ArticleChoice) -> str:
    parts = [f"*{escape(article.title)}*"]
    if article.excerpt:
        parts.append(escape(clip(article.excerpt, EXCERPT_LIMIT)))
    url = safe_url(article.url)
    if url is not None:
        parts.append(f"<{url}>")
    return "\n".join(parts)


def original_context(article: ArticleChoice) -> Block | None:
    """A small line under a translated article: "Original (English): <title>", linked if it can."""
    if article.original_title is None or article.original_label is None:
        return None
    title = escape(clip(article.original_title, HEADER_LIMIT))
    url = safe_url(article.original_url)
    shown = title if url is None else f"<{url}|{title}>"
    text = f"{escape(article.original_label)}: {shown}"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def suggestions_message(reply: SuggestionsReply, asker: str) -> Message:
    """Each article with a "This solved it" button, then one "None of these helped"."""
    blocks = [mrkdwn_section(escape(reply.intro))]
    for number, article in enumerate(reply.articles, start=1):
        section = mrkdwn_section(article_text(article), block_id=f"article:{number}")
        value = f"{reply.inquiry_id}:{article.article_id}"
        section["accessory"] = button(SOLVED_ACTION, reply.solved_label, value, "primary")
        blocks.append(section)
        original = original_context(article)
        if original is not None:
            blocks.append(original)
    none = button(NONE_ACTION, reply.none_label, str(reply.inquiry_id))
    blocks.append(
        {"type": "actions", "block_id": f"{FEEDBACK_BLOCK_PREFIX}{asker}", "elements": [none]}
    )
    titles = "".join(f"\n• {escape(article.title)}" for article in reply.articles)
    return Message(text=escape(reply.intro) + titles, blocks=blocks)


def asker_of(blocks: list[Block]) -> str | None:
    """Who the suggestions were for, as `suggestions_message` recorded it."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if block_id.startswith(FEEDBACK_BLOCK_PREFIX):
            return block_id.removeprefix(FEEDBACK_BLOCK_PREFIX)
    return None


def chosen_blocks(blocks: list[Block], chosen_block_id: str, label: str) -> list[Block]:
    """The suggestions after a click: no buttons left, and a mark under what was chosen
    (under the last article when the choice was "none of these helped")."""
    mark: Block = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"{wording.CHOSEN_MARK} *{escape(label)}*"}],
    }
    kept: list[Block] = []
    for block in blocks:
        if block.get("type") == "actions":
            continue
        kept.append({key: value for key, value in block.items() if key != "accessory"})
        if block.get("block_id") == chosen_block_id:
            kept.append(mark)
    if mark not in kept:
        kept.append(mark)
    return kept


PING_STYLES = {"claim": "primary"}


def ping_line(line: str) -> str:
    label, separator, value = line.partition(": ")
    if not separator:
        return escape(line)
    return f"*{escape(label)}:* {escape(value)}"


def ping_message(view: PingView) -> Message:
    """A staff ping: title, the request's lines, and the buttons of the allowed actions."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(view.title, HEADER_LIMIT)},
        mrkdwn_section("\n".join(ping_line(line) for line in view.lines)),
    ]
    if view.actions:
        elements = [
            button(PING_ACTION_PREFIX + a.verb, a.label, a.ref, PING_STYLES.get(a.verb))
            for a in view.actions
        ]
        blocks.append({"type": "actions", "block_id": f"ping:{view.ref}", "elements": elements})
    return Message(text=escape(view.title), blocks=blocks)


@dataclass(frozen=True)
class ModalContext:
    """What a modal must remember until it is submitted: the request and where it was opened."""

    ref: str
    channel: str
    thread: str | None = None

    def dump(self) -> str:
        return json.dumps({"ref": self.ref, "channel": self.channel, "thread": self.thread})

    @classmethod
    def load(cls, metadata: str) -> ModalContext | None:
        try:
            data = json.loads(metadata)
            return cls(str(data["ref"]), str(data["channel"]), data.get("thread"))
        except (ValueError, KeyError, TypeError):
            return None


def input_modal(
    callback_id: str,
    title: str,
    context: ModalContext,
    *,
    optional: bool,
    words: wording.ModalWords | None = None,
) -> Block:
    """A modal with one text box; `words` in the staff language (English when not given)."""
    verb = "resolve" if callback_id == RESOLVE_VIEW else "reply"
    words = words or wording.modal_words(wording.english, verb)
    element = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": True,
        "max_length": INPUT_LIMIT,
    }
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": context.dump(),
        "title": plain(title, MODAL_TITLE_LIMIT),
        "submit": plain(words.submit, MODAL_TITLE_LIMIT),
        "close": plain(words.cancel, MODAL_TITLE_LIMIT),
        "blocks": [
            {
                "type": "input",
                "block_id": INPUT_BLOCK,
                "optional": optional,
                "label": plain(words.label, 2000),
                "hint": plain(words.hint, 2000),
                "element": element,
            }
        ],
    }


def submitted_text(view: Mapping[str, Any]) -> str:
    """The text typed into an `input_modal` ("" when left empty)."""
    values = view.get("state", {}).get("values", {})
    return str(values.get(INPUT_BLOCK, {}).get(INPUT_ACTION, {}).get("value") or "")


def home_view(texts: list[str], say: wording.Say = wording.english) -> Block:
    """The App Home tab: the person's requests as the desk describes them, in their language."""
    heading = plain(say("slack.home.heading"), HEADER_LIMIT)
    blocks: list[Block] = [{"type": "header", "text": heading}]
    blocks += [mrkdwn_section(escape(text)) for text in texts]
    hint = {"type": "mrkdwn", "text": say("slack.home.hint")}
    blocks.append({"type": "context", "elements": [hint]})
    return {"type": "home", "blocks": blocks}
