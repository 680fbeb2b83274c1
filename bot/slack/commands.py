"""The `/support` slash command (help, status, language, site) and the App Home tab."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address
from bot.core.outgoing import Reply, TextReply
from bot.slack import wording
from bot.slack.people import PLATFORM, SlackPeople
from bot.slack.render import escape, home_view
from bot.slack.webapi import call_logged

Payload = Mapping[str, Any]


def texts_of(replies: list[Reply]) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, TextReply)]


class SupportCommand:
    def __init__(self, desk: SupportDesk, people: SlackPeople) -> None:
        self._desk = desk
        self._people = people

    def on_command(self, ack: Ack, command: Payload, respond: Respond) -> None:
        ack()
        verb, _, rest = str(command.get("text") or "").strip().partition(" ")
        verb, rest = verb.lower(), rest.strip()
        incoming = self._incoming(str(command["user_id"]), str(command.get("channel_id", "")))
        if verb == "status":
            texts = texts_of(self._desk.status(incoming))
        elif verb == "language" and rest:
            texts = texts_of(self._desk.set_language(incoming, rest))
        elif verb == "site" and rest:
            texts = texts_of(self._desk.set_site(incoming, rest))
        else:
            texts = []
        # Only the person who typed the command sees the answer.
        answer = "\n".join(escape(text) for text in texts) or self._say(incoming)("slack.help")
        call_logged(
            "response_url",
            f"/support {verb} for {command['user_id']}",
            partial(respond, text=answer, response_type="ephemeral"),
        )

    def on_home_opened(self, event: Payload, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event["user"])
        incoming = self._incoming(user, str(event.get("channel", "")))
        view = home_view(texts_of(self._desk.status(incoming)), self._say(incoming))
        call_logged(
            "views.publish",
            f"home tab of {user}",
            partial(client.views_publish, user_id=user, view=view),
        )

    def _say(self, incoming: Incoming) -> wording.Say:
        """Slack's own words in the language the desk answers this person in."""
        person = self._desk.preferences(incoming).sender
        return wording.in_language(self._desk.deps.catalogue, self._desk.deps.language_of(person))

    def _incoming(self, user: str, channel: str) -> Incoming:
        # Read-only views: no redelivery key, so nothing is recorded for them.
        return Incoming(sender=self._people.person(user), reply_to=Address(PLATFORM, channel))
