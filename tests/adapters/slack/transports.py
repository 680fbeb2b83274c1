"""How tests deliver payloads to the bot, as Slack does: signed HTTP requests, or Socket Mode
envelopes through the stand-in's WebSocket."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from tests.adapters.slack_standin import SlackStandIn

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Answer:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=10) as response:
            return Answer(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), dict(error.headers))


class Transport(Protocol):
    def event(self, body: dict[str, Any], *, retry: int = 0) -> None: ...

    def interaction(self, payload: dict[str, Any]) -> None: ...

    def command(self, fields: dict[str, str]) -> None: ...


class SignedHttp:
    """Slack's Events API, interactivity and slash commands, all to `/slack/events`."""

    def __init__(self, base_url: str, secret: str = SIGNING_SECRET) -> None:
        self.base_url = base_url
        self.secret = secret

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        extra: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> Answer:
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": signature(secret or self.secret, stamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(extra or {}),
        }
        return http("POST", f"{self.base_url}/slack/events", body, headers)

    def post_event(self, body: dict[str, Any], *, retry: int = 0, **kwargs: Any) -> Answer:
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        raw = json.dumps(body).encode()
        return self.post(raw, "application/json", extra=extra if retry else None, **kwargs)

    def event(self, body: dict[str, Any], *, retry: int = 0) -> None:
        answer = self.post_event(body, retry=retry)
        assert answer.status == 200, answer

    def interaction(self, payload: dict[str, Any]) -> None:
        raw = urlencode({"payload": json.dumps(payload)}).encode()
        answer = self.post(raw, "application/x-www-form-urlencoded")
        assert answer.status == 200, answer

    def command(self, fields: dict[str, str]) -> None:
        answer = self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")
        assert answer.status == 200, answer


class SocketMode:
    """The same payloads as Socket Mode envelopes; each must be acknowledged by the bot."""

    def __init__(self, standin: SlackStandIn) -> None:
        self.standin = standin

    def _deliver(self, kind: str, payload: dict[str, Any], retry: int = 0) -> None:
        envelope_id = self.standin.send_envelope(kind, payload, retry_attempt=retry)
        self.standin.wait_for_ack(envelope_id)

    def event(self, body: dict[str, Any], *, retry: int = 0) -> None:
        self._deliver("events_api", body, retry)

    def interaction(self, payload: dict[str, Any]) -> None:
        self._deliver("interactive", payload)

    def command(self, fields: dict[str, str]) -> None:
        self._deliver("slash_commands", fields)
