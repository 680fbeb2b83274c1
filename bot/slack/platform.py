"""The Slack platform of `supportbot run`: one Bolt app, served over HTTP or Socket Mode, and
the outlet that posts pings and notices."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.core.desk import SupportDesk
from bot.core.model import Level
from bot.slack.http import HttpService, SlackWsgi
from bot.slack.listeners import register_listeners
from bot.slack.membership import SlackMembership
from bot.slack.outlet import SlackOutlet
from bot.slack.people import SlackPeople
from bot.slack.webapi import build_web_client
from config.settings import SlackSettings

log = logging.getLogger("supportbot.slack")

LISTENER_THREADS = 16  # listeners mostly wait on the register and the Web API
# Bolt falls back to these for anything not passed in, and switches to its OAuth flow (ignoring
# our token) when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: our settings are the only source.
BOLT_ENVIRONMENT = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_VERIFICATION_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_APP_TOKEN",
)
_environment_lock = threading.Lock()


@contextmanager
def slack_environment_hidden() -> Iterator[None]:
    with _environment_lock:
        hidden = {name: os.environ.pop(name) for name in BOLT_ENVIRONMENT if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(hidden)


def build_bolt_app(settings: SlackSettings, client: WebClient, executor: ThreadPoolExecutor) -> App:
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else ""
    with slack_environment_hidden():
        return App(
            name="supportbot",
            client=client,
            signing_secret=secret,  # Bolt verifies every HTTP request with it (401 otherwise)
            # auth.test at the first request, not here: the process starts even while Slack is
            # unreachable, and /healthz can say so.
            token_verification_enabled=False,
            listener_executor=executor,
        )


class SlackPlatform:
    """Implements the runner's `Platform`."""

    name = "slack"

    def __init__(self, settings: SlackSettings) -> None:
        self._settings = settings
        self._client = build_web_client(settings)
        channels = {
            Level.L1: settings.l1_channel,
            Level.L2: settings.l2_channel,
            Level.L3: settings.l3_channel,
        }
        self.outlet = SlackOutlet(self._client, channels)
        self._executor: ThreadPoolExecutor | None = None
        self._http: HttpService | None = None
        self._socket: SocketModeHandler | None = None

    def membership_lookup(self) -> SlackMembership:
        """Asks Slack who is in a staff channel, for the staff directory."""
        return SlackMembership(self._client)

    @property
    def http_address(self) -> tuple[str, int] | None:
        """Where `/slack/events` and `/healthz` listen, once started."""
        return self._http.address if self._http is not None else None

    def start(self, desk: SupportDesk, health: Callable[[], bool]) -> None:
        self.outlet.use_wording(desk.deps.catalogue, desk.deps.config.staff_language)
        self._executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="slack-listener")
        app = build_bolt_app(self._settings, self._client, self._executor)
        register_listeners(app, desk, SlackPeople(self._client))
        socket_mode = self._settings.socket_mode
        # In Socket Mode the HTTP server only answers /healthz, for the container's probe.
        bolt = None if socket_mode else SlackRequestHandler(app)
        self._http = HttpService(SlackWsgi(bolt, health), self._settings.host, self._settings.port)
        self._http.start()
        if socket_mode:
            assert self._settings.app_token is not None
            self._socket = SocketModeHandler(
                app,
                app_token=self._settings.app_token.get_secret_value(),
                web_client=self._client,
                concurrency=LISTENER_THREADS,
            )
            self._socket.client.connect()  # returns once connected; events then arrive on its threads
            log.info("Slack Socket Mode connected")

    def stop(self) -> None:
        """Stop taking messages in, then let the listeners already running finish."""
        if self._socket is not None:
            self._socket.client.close()
        if self._http is not None:
            self._http.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
