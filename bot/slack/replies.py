"""Posting the desk's replies back into Slack: in the conversation, or only to the person."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from slack_sdk import WebClient

from bot.core.outgoing import Reply
from bot.slack.render import reply_message
from bot.slack.webapi import call_logged


@dataclass(frozen=True)
class Spot:
    """Where a person wrote or clicked: the conversation, the thread in it, and who it was."""

    channel: str
    user: str
    thread: str | None = None

    def post(self, client: WebClient, replies: list[Reply]) -> None:
        """Replies everyone in the conversation sees (a DM, or the thread of a mention)."""
        for reply in replies:
            message = reply_message(reply, self.user)
            call_logged(
                "chat.postMessage",
                f"reply to {self.user} in {self.channel}",
                partial(
                    client.chat_postMessage,
                    channel=self.channel,
                    thread_ts=self.thread,
                    text=message.text,
                    blocks=message.blocks,
                    unfurl_links=False,
                ),
            )

    def whisper(self, client: WebClient, replies: list[Reply]) -> None:
        """Replies only this person sees (staff in a shared channel)."""
        for reply in replies:
            message = reply_message(reply, self.user)
            call_logged(
                "chat.postEphemeral",
                f"reply to {self.user} in {self.channel}",
                partial(
                    client.chat_postEphemeral,
                    channel=self.channel,
                    user=self.user,
                    thread_ts=self.thread,
                    text=message.text,
                    blocks=message.blocks,
                ),
            )
