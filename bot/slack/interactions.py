"""Clicks and modals: answers to suggestions, and staff buttons on pings (claim, reply, resolve,
escalate). Every handler acknowledges first: Slack wants an answer within 3 seconds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address
from bot.core.outgoing import Reply
from bot.slack import wording
from bot.slack.payloads import inquiry_choice, interaction_key, solved_choice
from bot.slack.people import PLATFORM, SlackPeople
from bot.slack.render import (
    PING_ACTION_PREFIX,
    REPLY_VIEW,
    RESOLVE_VIEW,
    ModalContext,
    asker_of,
    chosen_blocks,
    input_modal,
    submitted_text,
)
from bot.slack.replies import Spot
from bot.slack.webapi import call_logged, log

Body = Mapping[str, Any]


def spot_of_click(body: Body) -> Spot:
    """Where a button was clicked: its message's conversation and thread, and by whom."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    message = body.get("message") or {}
    return Spot(str(channel), str(body["user"]["id"]), message.get("thread_ts"))


class Interactions:
    def __init__(self, desk: SupportDesk, people: SlackPeople) -> None:
        self._desk = desk
        self._people = people

    def on_solved(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        ack()
        choice = solved_choice(str(action.get("value", "")))
        if choice is not None:
            self._feedback(body, action, client, choice[0], choice[1])

    def on_none_helped(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        ack()
        inquiry_id = inquiry_choice(str(action.get("value", "")))
        if inquiry_id is not None:
            self._feedback(body, action, client, inquiry_id, None)

    def _feedback(
        self, body: Body, action: Body, client: WebClient, inquiry_id: int, article: str | None
    ) -> None:
        spot = spot_of_click(body)
        replies = self._desk.give_feedback(self._incoming(spot, body), inquiry_id, article)
        message = body.get("message") or {}
        blocks = message.get("blocks") or []
        asker = asker_of(blocks)
        if asker is not None and asker != spot.user:
            spot.whisper(client, replies)  # someone else's suggestions: leave them as they are
            return
        label = str((action.get("text") or {}).get("text", ""))
        update = partial(
            client.chat_update,
            channel=spot.channel,
            ts=str(message.get("ts", "")),
            text=label,
            blocks=chosen_blocks(blocks, str(action.get("block_id", "")), label),
        )
        call_logged("chat.update", f"suggestions for inquiry {inquiry_id}", update)
        spot.post(client, replies)

    def on_ping_button(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        ack()
        verb = str(action.get("action_id", "")).removeprefix(PING_ACTION_PREFIX)
        ref = str(action.get("value", ""))
        spot = spot_of_click(body)
        if verb in ("reply", "resolve"):
            self._open_modal(verb, ref, spot, body, client)
            return
        act: dict[str, Callable[[Incoming, str], list[Reply]]] = {
            "claim": self._desk.claim,
            "escalate": self._desk.escalate,
        }
        if verb in act:
            spot.whisper(client, act[verb](self._incoming(spot, body), ref))

    def _open_modal(self, verb: str, ref: str, spot: Spot, body: Body, client: WebClient) -> None:
        # trigger_id lives 3 seconds: open the modal before anything else.
        callback = REPLY_VIEW if verb == "reply" else RESOLVE_VIEW
        say = wording.in_language(self._desk.deps.catalogue, self._desk.deps.config.staff_language)
        context = ModalContext(ref=ref, channel=spot.channel, thread=spot.thread)
        view = input_modal(
            callback,
            wording.modal_title(say, verb, ref),
            context,
            optional=verb == "resolve",
            words=wording.modal_words(say, verb),
        )
        call_logged(
            "views.open",
            f"{verb} modal for {ref}",
            partial(client.views_open, trigger_id=str(body.get("trigger_id", "")), view=view),
        )

    def on_reply_submitted(self, ack: Ack, body: Body, view: Body, client: WebClient) -> None:
        ack()
        self._submitted(body, view, client, self._desk.reply)

    def on_resolve_submitted(self, ack: Ack, body: Body, view: Body, client: WebClient) -> None:
        ack()
        self._submitted(body, view, client, self._desk.resolve)

    def _submitted(
        self,
        body: Body,
        view: Body,
        client: WebClient,
        act: Callable[[Incoming, str, str], list[Reply]],
    ) -> None:
        context = ModalContext.load(str(view.get("private_metadata", "")))
        if context is None:
            log.error("a Slack modal came back without its request (view %s)", view.get("id"))
            return
        spot = Spot(context.channel, str(body["user"]["id"]), context.thread)
        spot.whisper(client, act(self._incoming(spot, body), context.ref, submitted_text(view)))

    def _incoming(self, spot: Spot, body: Body) -> Incoming:
        return Incoming(
            sender=self._people.person(spot.user),
            reply_to=Address(PLATFORM, spot.channel, spot.thread),
            event_key=interaction_key(body),
            team_id=str((body.get("team") or {}).get("id") or "") or None,
        )
