"""A local stand-in of the Slack Web API (and of Socket Mode's WebSocket) that records every call.

Behaves like Slack where it matters to a bot: errors are HTTP 200 with `ok: false`, rate limits
are HTTP 429 with `Retry-After`, arguments arrive as JSON, form or query string, and
`apps.connections.open` hands out a `ws://` URL served by a small WebSocket server that sends
`hello`, delivers envelopes and records the client's acks.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from tests.adapters.standin_server import StandInServer

TEAM, APP, BOT_USER, BOT_ID = "T0FAKE0001", "A0FAKEAPP1", "U0FAKEBOT1", "B0FAKEBOT1"
JSON_FIELDS = ("blocks", "view", "attachments")


@dataclass
class Call:
    """One request the bot made, as Slack would have seen it."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    status: int
    response: dict[str, Any]  # {} for a response_url post
    path: str = ""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Profile:
    name: str
    locale: str = "en-US"


class SlackStandIn:
    """Start with `with SlackStandIn() as slack:`; `slack.api_url` is the bot's Web API base."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, Profile] = {}
        self.dm_channels: dict[str, str] = {}  # user id -> the DM channel with the bot
        self.members: dict[str, list[str]] = {}  # channel id -> its members, in Slack's order
        self.acks: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._failures: dict[str, list[str]] = {}
        self._limits: dict[str, float] = {}  # method -> seconds of the next 429 window
        self._limited_until: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._http = StandInServer(("127.0.0.1", 0), self._handler_class())
        self._http.daemon_threads = True
        self._sockets: list[ServerConnection] = []
        self._ws = serve(self._socket_session, "127.0.0.1", 0, compression=None, ping_interval=None)
        self._threads = [
            threading.Thread(target=self._http.serve_forever, daemon=True),
            threading.Thread(target=self._ws.serve_forever, daemon=True),
        ]

    # ---- lifecycle

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._ws.shutdown()
        self._http.shutdown()
        self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"  # without the trailing "/": the bot must cope

    def response_url(self, name: str) -> str:
        return f"{self.url}/response_url/{TEAM}/{name}"

    # ---- behaviour

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 200 `{"ok": false, "error": …}`."""
        with self._changed:
            self._failures.setdefault(method, []).extend([error] * times)

    def set_members(self, channel: str, users: list[str]) -> None:
        """Who is in `channel` from now on, as conversations.members will list them."""
        with self._changed:
            self.members[channel] = list(users)

    def rate_limit(self, method: str, retry_after: int = 1) -> None:
        """From the next call of `method`, answer 429 for `retry_after` seconds, as Slack does:
        a client that retries too early is limited again."""
        with self._changed:
            self._limits[method] = retry_after

    # ---- what happened

    def calls_of(self, method: str, where: Callable[[Call], bool] = lambda _: True) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method and where(c)]

    def wait_for(
        self, method: str, where: Callable[[Call], bool] = lambda _: True, timeout: float = 15
    ) -> Call:
        """The first successful call of `method` matching `where`, waiting for it if need be."""

        def found() -> Call | None:
            return next(
                (c for c in self.calls if c.method == method and c.status == 200 and where(c)),
                None,
            )

        with self._changed:
            self._changed.wait_for(lambda: found() is not None, timeout)
            call = found()
        if call is None:
            seen = [(c.method, c.status, c.args.get("channel")) for c in self.calls]
            raise AssertionError(f"no {method} call as expected within {timeout}s; saw {seen}")
        return call

    def wait_until(self, condition: Callable[[], bool], timeout: float = 15) -> None:
        with self._changed:
            if not self._changed.wait_for(condition, timeout):
                raise AssertionError("the stand-in never saw what the test waited for")

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # ---- the Web API

    def _answer(self, method: str, args: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        with self._changed:
            now = time.monotonic()
            if method in self._limits:
                self._limited_until[method] = now + self._limits.pop(method)
            if self._limited_until.get(method, 0) > now:
                return 429, {"ok": False, "error": "ratelimited"}
            failures = self._failures.get(method)
            if failures:
                return 200, {"ok": False, "error": failures.pop(0)}
        method_answer = self._methods().get(method)
        if method_answer is None:
            return 200, {"ok": False, "error": "unknown_method"}
        if method == "apps.connections.open" and not token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}
        return 200, method_answer(args)

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": lambda _: {
                "ok": True,
                "url": "https://fake-workspace.slack.com/",
                "team": "Fake Workspace",
                "user": "fakebot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postMessage": self._post_message,
            "chat.update": lambda a: {"ok": True, "channel": a.get("channel"), "ts": a.get("ts")},
            "chat.postEphemeral": lambda _: {"ok": True, "message_ts": self._next_ts()},
            "views.open": lambda a: {"ok": True, "view": {**a.get("view", {}), "id": "V0FAKE0001"}},
            "views.publish": lambda a: {
                "ok": True,
                "view": {**a.get("view", {}), "id": "V0HOME001"},
            },
            "users.info": self._user_info,
            "conversations.info": lambda a: {
                "ok": True,
                "channel": {"id": a.get("channel"), "is_member": True, "is_archived": False},
            },
            "apps.connections.open": lambda _: {"ok": True, "url": self._socket_url()},
            "conversations.members": self._conversation_members,
        }

    def _next_ts(self) -> str:
        return f"1795752000.{next(self._ts):06d}"

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        channel = str(args.get("channel", ""))
        if channel.startswith("U"):  # Slack posts to the user's DM with the bot
            channel = self.dm_channels.get(channel, "D" + channel[1:])
        message = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "app_id": APP,
            "text": args.get("text", ""),
            "ts": ts,
            "team": TEAM,
        }
        if args.get("blocks"):
            message["blocks"] = args["blocks"]
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversation_members(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of members (`limit`, default 100), and Slack's `next_cursor` ("" at the end)."""
        channel = str(args.get("channel", ""))
        with self._changed:
            if channel not in self.members:
                return {"ok": False, "error": "channel_not_found"}
            members = list(self.members[channel])
        start = int(str(args.get("cursor") or "0").removeprefix("dXNlcj"))
        limit = int(args.get("limit") or 100)
        page, rest = members[start : start + limit], members[start + limit :]
        cursor = f"dXNlcj{start + limit}" if rest else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _user_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user", ""))
        profile = self.users.get(user_id)
        if profile is None:
            return {"ok": False, "error": "user_not_found"}
        user = {
            "id": user_id,
            "team_id": TEAM,
            "name": profile.name.split()[0].lower(),
            "real_name": profile.name,
            "deleted": False,
            "is_bot": False,
            "tz": "Europe/Berlin",
            "profile": {"real_name": profile.name, "display_name": profile.name, "team": TEAM},
        }
        if args.get("include_locale") in (True, "true", "1", 1):
            user["locale"] = profile.locale
        return {"ok": True, "user": user}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def log_message(self, *_: object) -> None:  # quiet test output
                pass

            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                args = parse_args(self.headers.get("Content-Type", ""), body, split.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if split.path.startswith("/response_url/"):
                    standin._record(Call("response_url", args, headers, 200, {}, split.path))
                    self._send(200, b"ok", "text/plain")
                    return
                method = split.path.removeprefix("/api/")
                token = headers.get("authorization", "").removeprefix("Bearer ")
                status, answer = standin._answer(method, args, token)
                standin._record(Call(method, args, headers, status, answer, split.path))
                extra = {"Retry-After": "1"} if status == 429 else {}
                self._send(status, json.dumps(answer).encode(), "application/json", extra)

            def _send(
                self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler

    # ---- Socket Mode

    def _socket_url(self) -> str:
        port = self._ws.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4().hex}&app_id={APP}"

    def _socket_session(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-standin", "build_number": 10},
            "connection_info": {"app_id": APP},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._sockets.append(connection)
            self._changed.notify_all()
        try:
            for frame in connection:
                with self._changed:
                    self.acks.append(json.loads(frame))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the built-in client closes its socket without a close frame
        finally:
            with self._changed:
                self._sockets.remove(connection)

    def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> str:
        """Deliver a payload the way Slack does over Socket Mode; returns its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": ""}
        self.wait_until(lambda: bool(self._sockets))
        with self._changed:
            connection = self._sockets[-1]
        connection.send(json.dumps(envelope))
        return envelope_id

    def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        def acked() -> dict[str, Any] | None:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

        self.wait_until(lambda: acked() is not None)
        ack = acked()
        assert ack is not None
        return ack

    @property
    def socket_connections(self) -> int:
        with self._changed:
            return len(self._sockets)


def parse_args(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """JSON, form or query-string arguments, as the sync and async clients send them."""
    args: dict[str, Any] = dict(parse_qsl(query))
    if "application/json" in content_type and body:
        args.update(json.loads(body))
    elif body:
        args.update(parse_qsl(body.decode()))
    for name in JSON_FIELDS:
        if isinstance(args.get(name), str):
            args[name] = json.loads(args[name])
    return args
