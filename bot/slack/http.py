"""HTTP side of the Slack adapter: `POST /slack/events` through Bolt's WSGI adapter and
`GET /healthz`, served by waitress (a production threaded WSGI server) on its own thread."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from waitress.trigger import _triggerbase

log = logging.getLogger("supportbot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SERVER_THREADS = 8  # requests in flight; Bolt answers events at once and works on its executor


class SlackWsgi:
    """The WSGI application: health check here, everything Slack sends to Bolt.

    Without a Bolt handler (Socket Mode) only the health check is served."""

    def __init__(self, bolt: SlackRequestHandler | None, health: Callable[[], bool]) -> None:
        self._bolt = bolt
        self._health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = self._is_healthy()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b"ok\n" if healthy else b"register unreachable\n"
            start_response(status, [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
            return [body]
        if self._bolt is not None and path == EVENTS_PATH:
            return self._bolt(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    def _is_healthy(self) -> bool:
        try:
            return self._health()
        except Exception:
            log.exception("the health check failed")
            return False


class HttpService:
    """waitress on a background thread; `stop()` closes every socket and joins the thread."""

    def __init__(self, app: SlackWsgi, host: str, port: int) -> None:
        # waitress keeps its listening and client sockets in this map (typed as sockets).
        self._sockets: dict[int, socket.socket] = {}
        server = create_server(
            app, map=self._sockets, host=host, port=port, threads=SERVER_THREADS, ident="supportbot"
        )
        if not isinstance(server, BaseWSGIServer):
            raise ValueError(f"listen on one address, not {host!r}: {server.effective_listen}")
        self._server = server
        bound_host, bound_port = server.getsockname()
        self.address = (str(bound_host), int(bound_port))
        self._thread = threading.Thread(target=server.run, name="slack-http", daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("Slack HTTP endpoint on http://%s:%d%s", *self.address, EVENTS_PATH)

    def stop(self) -> None:
        if self._thread.is_alive():
            # Closing every socket ends waitress's loop; done on the loop's own thread (through
            # its trigger) so the loop wakes at once instead of at its next 1 s poll.
            trigger = cast("_triggerbase", self._server.trigger)  # the stubs say int
            trigger.pull_trigger(self._close_sockets)
            self._thread.join(timeout=5)
        self._close_sockets()
        self._server.task_dispatcher.shutdown()

    def _close_sockets(self, _: None = None) -> None:
        wasyncore.close_all(self._sockets)
