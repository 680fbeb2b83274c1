"""Messages people write: DMs and mentions become questions, thread replies under a ping or a
notice become answers about that request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address, PostedMessage
from bot.slack.payloads import event_key, is_from_a_person, plain_text
from bot.slack.people import PLATFORM, SlackPeople
from bot.slack.replies import Spot

Event = Mapping[str, Any]


class Conversations:
    """Translates message events into desk calls and posts what the desk answers."""

    def __init__(self, desk: SupportDesk, people: SlackPeople) -> None:
        self._desk = desk
        self._people = people

    def on_message(
        self, event: Event, body: Event, client: WebClient, bot_user_id: str | None
    ) -> None:
        if not is_from_a_person(event, bot_user_id):
            return
        spot = Spot(str(event["channel"]), str(event["user"]), event.get("thread_ts"))
        posted = self._posted(spot.channel, spot.thread)
        if posted is not None:
            self._answer_posted(spot, posted, event, body, client, bot_user_id)
        elif event.get("channel_type") == "im":
            self._ask(spot, event, body, client, bot_user_id)
        # Anything else is chatter in a channel the bot sits in: not for the bot.

    def on_mention(
        self, event: Event, body: Event, client: WebClient, bot_user_id: str | None
    ) -> None:
        channel = str(event.get("channel", ""))
        if not is_from_a_person(event, bot_user_id) or channel.startswith("D"):
            return  # DMs arrive as message.im events as well
        thread = event.get("thread_ts")
        if self._posted(channel, thread) is not None:
            return  # under a ping or a notice: its message event carries the answer
        spot = Spot(channel, str(event["user"]), thread or event.get("ts"))
        self._ask(spot, event, body, client, bot_user_id)

    def _posted(self, channel: str, thread: str | None) -> PostedMessage | None:
        if not thread:
            return None
        return self._desk.posted_message(PLATFORM, channel, thread)

    def _ask(
        self, spot: Spot, event: Event, body: Event, client: WebClient, bot: str | None
    ) -> None:
        text = plain_text(str(event.get("text") or ""), bot)
        spot.post(client, self._desk.ask(self._incoming(spot, body), text))

    def _answer_posted(
        self,
        spot: Spot,
        posted: PostedMessage,
        event: Event,
        body: Event,
        client: WebClient,
        bot: str | None,
    ) -> None:
        text = plain_text(str(event.get("text") or ""), bot)
        replies = self._desk.answer_posted(self._incoming(spot, body), posted, text)
        if posted.kind == "ping":
            spot.whisper(client, replies)  # staff channel: the confirmation is for the author
        else:
            spot.post(client, replies)

    def _incoming(self, spot: Spot, body: Event) -> Incoming:
        return Incoming(
            sender=self._people.person(spot.user),
            reply_to=notices_to(spot),
            event_key=event_key(body),
            team_id=str(body.get("team_id") or "") or None,  # ties the requester to a site
            written_in=Address(PLATFORM, spot.channel),  # so does a mapped channel
        )


def notices_to(spot: Spot) -> Address:
    """Where the desk's later messages to this person go: the top level of their DM with the
    bot (a user id as channel posts there), whatever thread or channel they asked in.

    A reply in a Slack thread only says which thread it is in, not which message it answers;
    a notice at the top level of the DM starts its own thread, so the person's reply under it
    is tied to its request. Staff answers may be personal, too: not for a public channel."""
    return Address(PLATFORM, spot.channel if spot.channel.startswith("D") else spot.user)
