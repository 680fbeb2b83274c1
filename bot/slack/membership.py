"""Whether a Slack user is in a staff channel, asked of Slack (conversations.members)."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_sdk import WebClient

from bot.slack.webapi import call_logged, log

PAGE_SIZE = 200  # Slack's recommended page size for conversations.members
MAX_PAGES = 50  # 10,000 members: far beyond a staff channel; stop rather than loop forever


class SlackMembership:
    """Implements the core's `MembershipLookup`. Reads the channel's members page by page and
    stops at the user (staff channels are small: usually one page). Needs the `channels:read`
    and `groups:read` scopes, and the bot in the channel (it is: it posts the pings there)."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def is_member(self, user_id: str, chat_id: str) -> bool | None:
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = call_logged(
                "conversations.members",
                f"is {user_id} staff in {chat_id}",
                partial(self._members, chat_id, cursor),
            )
            if page is None:
                return None
            if user_id in page.get("members", ()):
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return False
        log.warning(
            "Slack channel %s has more members than we read: %s not found", chat_id, user_id
        )
        return None

    def _members(self, chat_id: str, cursor: str | None) -> dict[str, Any]:
        answer = self._client.conversations_members(channel=chat_id, limit=PAGE_SIZE, cursor=cursor)
        data = answer.data
        return data if isinstance(data, dict) else {}
