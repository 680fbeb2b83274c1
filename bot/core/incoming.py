"""What reaches the core from any platform: who wrote, where to answer, and a redelivery key."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Address, Person


@dataclass(frozen=True)
class Incoming:
    """The envelope of every message or click.

    `event_key` is the platform's id of the event (Slack `event_id`, Telegram bot id + `update_id`);
    an event seen before is a redelivery and is answered with nothing.
    """

    sender: Person
    reply_to: Address
    event_key: str | None = None
    site: str | None = None
    team_id: str | None = None  # Slack workspace (team) id: the sites file maps it to a site
    # Where the message was written when answers go elsewhere (a Slack channel mention, whose
    # notices go to a DM): the sites file maps that chat to a site.
    written_in: Address | None = None


class ActionRefused(Exception):  # noqa: N818 - a refusal, not an error: the user sees its message
    """An expected refusal (unknown reference, already resolved, not allowed …).

    Carries a catalogue key; the user sees that message and nothing changes.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
