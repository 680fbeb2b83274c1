"""The Slack Web API client as we configure it, and calls whose failure is logged, not raised."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from config.settings import SlackSettings

log = logging.getLogger("supportbot.slack")
T = TypeVar("T")

RATE_LIMIT_RETRIES = 3
TIMEOUT_SECONDS = 15

# Errors meaning Slack will not deliver to that conversation or person any more.
UNREACHABLE_ERRORS = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "user_disabled",
        "not_in_channel",
        "account_inactive",
        "cannot_dm_bot",
        "user_not_found",
    }
)


def build_web_client(settings: SlackSettings) -> WebClient:
    """Token and base URL from our settings only; 429s wait for Retry-After and try again
    (slack_sdk's default retries only connection errors)."""
    assert settings.bot_token is not None, "the Slack platform starts only with a bot token"
    client = WebClient(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.api_url,
        timeout=TIMEOUT_SECONDS,
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def error_code(error: SlackApiError) -> str:
    """Slack's `error` field (`channel_not_found`, `ratelimited` …), or the HTTP status."""
    data = error.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {error.response.status_code}"


def call_logged(method: str, context: str, call: Callable[[], T]) -> T | None:
    """Run one Web API call; a failure is logged with the method and what it was for, and the
    listener carries on (None)."""
    try:
        return call()
    except SlackApiError as error:
        log.error("Slack %s failed (%s): %s", method, context, error_code(error))
    except OSError as error:  # urllib's URLError, timeouts, refused connections
        log.error("Slack %s failed (%s): %s", method, context, error)
    return None
