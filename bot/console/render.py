"""Terminal rendering of the core's replies and notifications, as plain labelled lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from bot.core.outgoing import (
    KnownIssueReply,
    Notification,
    PingRefresh,
    PingView,
    Reply,
    RequesterNotice,
    StaffPing,
    StaffRelay,
    SuggestionsReply,
    TextReply,
)

Say = Callable[..., str]  # say(key, **params): a catalogue key's text in the chat's language

COMMAND_HINTS = {
    "claim": "/claim {ref}",
    "reply": "/reply {ref} <text>",
    "resolve": "/resolve {ref} [note]",
    "escalate": "/escalate {ref} [reason]",
}


def render_reply(reply: Reply, say: Say) -> list[str]:
    if isinstance(reply, TextReply):
        return [f"bot> {reply.text}"]
    if isinstance(reply, KnownIssueReply):
        return [
            f"bot> {reply.text}",
            "bot> " + say("console.known_issue_hint", different=reply.different_label),
        ]
    return render_suggestions(reply, say)


def render_suggestions(reply: SuggestionsReply, say: Say) -> list[str]:
    lines = [f"bot> {reply.intro}"]
    for number, article in enumerate(reply.articles, start=1):
        lines.append(f"  {number}. {article.title}")
        if article.excerpt:
            lines.append(f"     {article.excerpt}")
        if article.url:
            lines.append(f"     {article.url}")
        if article.original_title is not None and article.original_label is not None:
            link = f" {article.original_url}" if article.original_url else ""
            lines.append(f"     {article.original_label}: {article.original_title}{link}")
    count = len(reply.articles)
    choices = "1" if count == 1 else f"1-{count}"
    hint = say(
        "console.feedback_hint", choices=choices, solved=reply.solved_label, none=reply.none_label
    )
    lines.append(f"bot> {hint}")
    return lines


def render_ping(view: PingView, heading: str) -> list[str]:
    lines = [f"[{heading}] {view.title}"]
    lines += [f"    {line}" for line in view.lines]
    if view.actions:
        hints = "   ".join(COMMAND_HINTS[a.verb].format(ref=a.ref) for a in view.actions)
        lines.append(f"    {hints}")
    return lines


def render_notification(notification: Notification) -> list[str]:
    if isinstance(notification, StaffPing):
        return render_ping(notification.view, f"ping to {notification.level.value} channel")
    if isinstance(notification, PingRefresh):
        view = notification.view
        return [f"[{view.level.value} channel: ping {view.ref} updated] status {view.status.value}"]
    if isinstance(notification, RequesterNotice):
        return [
            f"[to the field user] {notification.text}",
            f"    (to answer: /answer {notification.ref} <text>, as the field user)",
        ]
    if isinstance(notification, StaffRelay):
        return [
            f"[{notification.level.value} channel: thread {notification.ref}] requester: {notification.text}"
        ]
    return [f"[to {notification.to.chat_id}] {notification.text}"]


class ConsoleNotifier:
    """Shows pings and messages to other people as labelled lines in the same terminal.

    Lines are held until `flush()` so that the person who acted sees the bot's answer first,
    then what it caused elsewhere."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._held: list[Notification] = []

    def deliver(self, notifications: Sequence[Notification]) -> None:
        self._held.extend(notifications)

    def flush(self) -> None:
        held, self._held = self._held, []
        for notification in held:
            for line in render_notification(notification):
                print(line, file=self._out)
        self._out.flush()
