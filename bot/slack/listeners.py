"""Wires the adapter's handlers into a Bolt app: events, buttons, modals, the slash command, and
the one error handler. Listener bodies only translate and delegate."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, Respond
from slack_sdk import WebClient

from bot.core.desk import SupportDesk
from bot.core.incoming import Incoming
from bot.core.model import Address
from bot.core.outgoing import TextReply
from bot.slack.commands import SupportCommand
from bot.slack.conversations import Conversations
from bot.slack.interactions import Interactions, spot_of_click
from bot.slack.payloads import retry_attempt
from bot.slack.people import PLATFORM, SlackPeople
from bot.slack.render import (
    NONE_ACTION,
    PING_ACTION_PREFIX,
    REPLY_VIEW,
    RESOLVE_VIEW,
    SOLVED_ACTION,
    ModalContext,
)
from bot.slack.replies import Spot
from bot.slack.webapi import log

Body = dict[str, Any]
PING_BUTTONS = re.compile(rf"^{PING_ACTION_PREFIX}(claim|reply|resolve|escalate)$")


def register_listeners(app: App, desk: SupportDesk, people: SlackPeople) -> None:
    support = SupportCommand(desk, people)
    register_events(app, Conversations(desk, people), support)
    register_interactions(app, Interactions(desk, people), support)

    @app.error
    def failed(error: Exception, body: Body, context: BoltContext) -> None:
        log.error("Slack listener failed on %s", describe(body), exc_info=error)
        apologise(desk, people, body, context.client)


def register_events(app: App, conversations: Conversations, support: SupportCommand) -> None:
    @app.middleware
    def note_redeliveries(request: BoltRequest, body: Body, next_: Callable[[], None]) -> None:
        attempt = retry_attempt(request.headers)
        if attempt > 0:  # de-duplicated by event_id in the register; only worth a log line
            reason = request.headers.get("x-slack-retry-reason", ["?"])[0]
            log.info("Slack redelivery %d (%s) of %s", attempt, reason, body.get("event_id"))
        next_()

    @app.event("message")
    def message(event: Body, body: Body, client: WebClient, context: BoltContext) -> None:
        conversations.on_message(event, body, client, context.bot_user_id)

    @app.event("app_mention")
    def mention(event: Body, body: Body, client: WebClient, context: BoltContext) -> None:
        conversations.on_mention(event, body, client, context.bot_user_id)

    @app.event("app_home_opened")
    def home(event: Body, client: WebClient) -> None:
        support.on_home_opened(event, client)


def register_interactions(app: App, interactions: Interactions, support: SupportCommand) -> None:
    @app.command("/support")
    def command(ack: Ack, command: Body, respond: Respond) -> None:
        support.on_command(ack, command, respond)

    app.action(SOLVED_ACTION)(interactions.on_solved)
    app.action(NONE_ACTION)(interactions.on_none_helped)
    app.action(PING_BUTTONS)(interactions.on_ping_button)
    app.view(REPLY_VIEW)(interactions.on_reply_submitted)
    app.view(RESOLVE_VIEW)(interactions.on_resolve_submitted)


def describe(body: Mapping[str, Any]) -> str:
    """What the failed payload was, for the log (no message text: it may be personal)."""
    event = body.get("event") or {}
    kind = event.get("type") or body.get("type") or body.get("command") or "request"
    return f"{kind} {body.get('event_id') or body.get('trigger_id') or ''}".strip()


def apology_spot(body: Mapping[str, Any]) -> Spot | None:
    """Where the person who triggered a failed payload can be told."""
    event = body.get("event")
    if isinstance(event, dict) and event.get("user") and event.get("channel"):
        thread = event.get("thread_ts") or (
            None if event.get("type") == "message" else event.get("ts")
        )
        return Spot(str(event["channel"]), str(event["user"]), thread)
    if body.get("type") == "block_actions":
        return spot_of_click(body)
    if body.get("type") == "view_submission":
        context = ModalContext.load(str((body.get("view") or {}).get("private_metadata", "")))
        if context is not None:
            return Spot(context.channel, str(body["user"]["id"]), context.thread)
    if body.get("command") and body.get("user_id"):
        return Spot(str(body.get("channel_id", "")), str(body["user_id"]))
    return None


def apologise(
    desk: SupportDesk, people: SlackPeople, body: Mapping[str, Any], client: WebClient | None
) -> None:
    spot = apology_spot(body)
    if spot is None or client is None or not spot.channel:
        return
    language = apology_language(desk, people, spot)
    spot.whisper(client, [TextReply(desk.deps.catalogue.text("error.apology", language))])


def apology_language(desk: SupportDesk, people: SlackPeople, spot: Spot) -> str:
    """The person's chosen language, else their Slack locale, else the default. What failed may
    be the register or Slack itself: then the default, rather than no apology at all."""
    try:
        incoming = Incoming(sender=people.person(spot.user), reply_to=Address(PLATFORM, spot.user))
        return desk.deps.language_of(desk.preferences(incoming).sender)
    except Exception:  # already handling a failure: the apology must go out all the same
        log.warning("apologising in the default language: the person's language is unknown")
        return desk.deps.config.default_language
