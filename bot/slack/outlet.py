"""The router's Slack outlet: pings in the L1/L2/L3 channels, kept up to date, and messages to
requesters in the conversation where they asked."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.model import Level, PostedMessage
from bot.core.outgoing import PingView, RequesterNotice
from bot.core.ports import Catalogue
from bot.core.routing import Posted, RecipientUnreachable
from bot.slack.render import escape, ping_message
from bot.slack.webapi import UNREACHABLE_ERRORS, error_code

PLATFORM = "slack"


class SlackOutlet:
    """Implements the router's `Outlet`. Failures raise: the router logs them with the request
    they were about and carries on with the other platforms."""

    platform = PLATFORM

    def __init__(self, client: WebClient, channels: dict[Level, str | None]) -> None:
        self._client = client
        self._channels = channels
        self._catalogue: Catalogue | None = None
        self._staff_language = "en"

    def use_wording(self, catalogue: Catalogue, staff_language: str) -> None:
        """The catalogue that words relays into ping threads (known once the desk exists)."""
        self._catalogue, self._staff_language = catalogue, staff_language

    def destinations(self, level: Level) -> list[str]:
        channel = self._channels.get(level)
        return [channel] if channel else []

    def post_ping(self, chat_id: str, view: PingView) -> Posted:
        message = ping_message(view)
        posted = self._client.chat_postMessage(
            channel=chat_id, text=message.text, blocks=message.blocks, unfurl_links=False
        )
        ts = str(posted["ts"])
        # Replies to the ping form its thread: they are tied back to the request by this ts.
        return Posted(chat_id=str(posted.get("channel") or chat_id), message_id=ts, thread_id=ts)

    def update_ping(self, posted: PostedMessage, view: PingView) -> None:
        message = ping_message(view)
        self._client.chat_update(
            channel=posted.chat_id, ts=posted.message_id, text=message.text, blocks=message.blocks
        )

    def send_notice(self, notice: RequesterNotice) -> Posted | None:
        to = notice.to
        try:
            posted = self._client.chat_postMessage(
                channel=to.chat_id, thread_ts=to.thread_id, text=escape(notice.text)
            )
        except SlackApiError as error:
            code = error_code(error)
            if code in UNREACHABLE_ERRORS:
                raise RecipientUnreachable(code) from error
            raise
        ts = str(posted["ts"])
        return Posted(
            chat_id=str(posted.get("channel") or to.chat_id),
            message_id=ts,
            thread_id=to.thread_id or ts,
        )

    def post_in_thread(self, posted: PostedMessage, text: str) -> None:
        self._client.chat_postMessage(
            channel=posted.chat_id,
            thread_ts=posted.thread_id or posted.message_id,
            text=escape(self._relay_text(posted.ref, text)),
        )

    def _relay_text(self, ref: str, text: str) -> str:
        if self._catalogue is None:
            return f"{ref}: {text}"
        return self._catalogue.text("ping.answer", self._staff_language, ref=ref, text=text)
