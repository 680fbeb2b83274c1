"""A local stand-in of the Telegram Bot API on 127.0.0.1 that records every call.

It behaves as PLATFORMS.md describes the real one: `/bot<token>/<method>`, form-encoded PTB
requests with nested objects as JSON strings (JSON bodies and multipart uploads too), getUpdates
with real offsets and the `timeout` long poll (409 while a webhook is set), webhook deliveries
with the secret header, HTML that must parse, 4,096-character messages, "message is not
modified", and errors on demand (429 with `retry_after`, 403 for a user who blocked the bot).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from tests.adapters.standin_server import StandInServer

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads" / "telegram"
JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "allowed_updates",
    "link_preview_options",
    "entities",
    "commands",
}
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_SPECIAL = re.compile(r"[<>&]")
FIRST_UPDATE_ID = 500000001
CONFLICT_WITH_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)


def load_payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    return data


def new_token(bot_id: int) -> str:
    """A token in Telegram's shape: `<bot id>:` and 35 characters; a fresh one per test."""
    return f"{bot_id}:AA{secrets.token_urlsafe(32)[:33]}"


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def parse_html(text: str) -> str:
    """The visible text of Telegram HTML, or ApiError 400 as Telegram answers bad markup."""
    stack: list[str] = []
    visible: list[str] = []
    position = 0
    for special in _SPECIAL.finditer(text):
        if special.start() < position:
            continue  # inside a tag or an entity already read
        visible.append(text[position : special.start()])
        position = _read_markup(text, special.start(), stack, visible)
    visible.append(text[position:])
    if stack:
        raise _unparsable(f"can't find end tag corresponding to start tag {stack[-1]}")
    return "".join(visible)


def _read_markup(text: str, start: int, stack: list[str], visible: list[str]) -> int:
    """Read the tag or entity at `start`; the position after it."""
    if text[start] == "&":
        entity = _ENTITY.match(text, start)
        if entity is None:
            raise _unparsable(f"unsupported entity at byte offset {start}")
        visible.append(html.unescape(entity.group(0)))
        return entity.end()
    tag = _TAG.match(text, start)
    if tag is None or tag.group(2).lower() not in ALLOWED_TAGS:
        raise _unparsable(f"unsupported start tag at byte offset {start}")
    name = tag.group(2).lower()
    if tag.group(1) != "/":
        stack.append(name)
    elif not stack or stack.pop() != name:
        raise _unparsable(f"unexpected end tag at byte offset {start}")
    return tag.end()


def _unparsable(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


@dataclass
class Call:
    """One request the bot made, as the stand-in saw and answered it."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    method: str
    chat_id: int | None
    error: ApiError
    times: int


class BotApiStandIn:
    """One bot's API. Use as a context manager; `api_url` goes into the bot's settings."""

    def __init__(self, *, bot: dict[str, Any] | None = None) -> None:
        self.bot = bot or load_payload("get_me.json")
        self.token = new_token(self.bot["id"])
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] | None = None
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = FIRST_UPDATE_ID
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._failures: list[Failure] = []
        self._blocked: set[int] = set()
        self.members: dict[int, dict[int, str]] = {}  # chat id -> user id -> member status
        self._closed = False
        self._server = StandInServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()  # long polls end now
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # What tests do as Telegram

    def push(self, update: dict[str, Any]) -> int:
        """Deliver an update as Telegram would: queued for getUpdates, or POSTed to the webhook
        with its secret (returns the webhook's HTTP status; 0 when queued)."""
        with self._lock:
            self._prepare(update)
            hook = self.webhook
            if hook is None:
                self._updates.append(update)
                self._lock.notify_all()
                return 0
        return self.post_to_webhook(update, hook.get("secret_token"))

    def redeliver(self, update: dict[str, Any]) -> int:
        """The same update again, as after a crash before it was confirmed or a webhook retry."""
        with self._lock:
            hook = self.webhook
            if hook is None:
                self._updates.append({**update, "_redelivered": True})
                self._lock.notify_all()
                return 0
        return self.post_to_webhook(update, hook.get("secret_token"))

    def post_to_webhook(self, update: dict[str, Any], secret: str | None) -> int:
        hook = self.webhook
        assert hook is not None, "no webhook is set"
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        body = json.dumps({k: v for k, v in update.items() if not k.startswith("_")}).encode()
        request = urllib.request.Request(hook["url"], data=body, headers=headers, method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as refused:
            return int(refused.code)

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        *,
        chat_id: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail like this."""
        with self._lock:
            error = ApiError(status, description, retry_after)
            self._failures.append(Failure(method, chat_id, error, times))

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """The user's status in the chat from now on (member, administrator, creator, left…)."""
        with self._lock:
            self.members.setdefault(chat_id, {})[user_id] = status

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every message to them is 403 Forbidden."""
        with self._lock:
            self._blocked.add(chat_id)

    # What tests read

    def calls_to(self, method: str, **args: Any) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method and all(c.args.get(k) == v for k, v in args.items())
            ]

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they are now (after edits), oldest first."""
        with self._lock:
            return [
                json.loads(json.dumps(m))
                for (chat, _), m in sorted(self._messages.items())
                if chat == chat_id and m["from"]["id"] == self.bot["id"]
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        with self._lock:
            found: dict[str, Any] = json.loads(json.dumps(self._messages[(chat_id, message_id)]))
            return found

    # The API

    def handle(self, token: str, method: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        try:
            result = self._dispatch(method, args)
        except ApiError as error:
            status, body = error.status, error.body()
        else:
            status, body = 200, {"ok": True, "result": result}
        if method != "getUpdates" or body.get("result") or status != 200:
            with self._lock:
                self.calls.append(Call(method, args, status, body))
        return status, body

    def _dispatch(self, method: str, args: dict[str, Any]) -> Any:
        if method == "getMe":
            return self.bot
        if method == "getUpdates":
            return self._get_updates(args)
        with self._lock:
            self._fail_if_asked(method, args)
            actions: dict[str, Callable[[dict[str, Any]], Any]] = {
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._webhook_info,
                "sendMessage": self._send_message,
                "sendDocument": self._send_document,
                "editMessageText": self._edit_text,
                "editMessageReplyMarkup": self._edit_markup,
                "answerCallbackQuery": lambda _args: True,
                "setMyCommands": lambda _args: True,
                "getChatMember": self._chat_member,
            }
            if method not in actions:
                raise ApiError(404, "Not Found")
            return actions[method](args)

    def _fail_if_asked(self, method: str, args: dict[str, Any]) -> None:
        chat = args.get("chat_id")
        if method == "sendMessage" and chat in self._blocked:
            raise ApiError(403, load_payload("error_403_blocked.json")["description"])
        for failure in self._failures:
            if failure.method == method and failure.chat_id in (None, chat) and failure.times:
                failure.times -= 1
                raise failure.error

    def _get_updates(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        offset, limit = int(args.get("offset") or 0), int(args.get("limit") or 100)
        deadline = time.monotonic() + float(args.get("timeout") or 0)
        with self._lock:
            if self.webhook is not None:
                raise ApiError(409, CONFLICT_WITH_WEBHOOK)
            while True:
                if offset:  # confirmed updates are forgotten, as by Telegram
                    self._updates = [
                        u
                        for u in self._updates
                        if u["update_id"] >= offset or u.get("_redelivered")
                    ]
                ready = self._updates[:limit]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._closed:
                    break
                self._lock.wait(remaining)
            for update in ready:
                update.pop("_redelivered", None)
            return json.loads(json.dumps(ready))  # type: ignore[no-any-return]

    def _chat_member(self, args: dict[str, Any]) -> dict[str, Any]:
        """A ChatMember as Telegram describes it; someone never in the chat has "left"."""
        user_id = int(args["user_id"])
        status = self.members.get(args["chat_id"], {}).get(user_id, "left")
        member: dict[str, Any] = {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"},
        }
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages")
            rights += ("can_manage_video_chats", "can_restrict_members", "can_promote_members")
            rights += ("can_change_info", "can_invite_users", "can_post_stories")
            rights += ("can_edit_stories", "can_delete_stories")
            member |= dict.fromkeys(rights, False) | {"can_manage_chat": True}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _delete_webhook(self, args: dict[str, Any]) -> bool:
        self.webhook = None
        if str(args.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return True

    def _set_webhook(self, args: dict[str, Any]) -> bool:
        self.webhook = {"url": args["url"], "secret_token": args.get("secret_token")}
        return True

    def _webhook_info(self, _args: dict[str, Any]) -> dict[str, Any]:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _new_message(self, chat_id: int) -> dict[str, Any]:
        """What every message the bot sends has: its id in the chat, sender, chat and date."""
        return {
            "message_id": self._new_message_id(chat_id),
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }

    def _send_document(self, args: dict[str, Any]) -> dict[str, Any]:
        chat_id, document = args["chat_id"], args["document"]
        message = self._new_message(chat_id)
        message["document"] = {
            "file_id": f"doc-{secrets.token_hex(8)}",
            "file_unique_id": secrets.token_hex(4),
            "file_name": document["filename"],
            "file_size": len(document["content"]),
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _send_message(self, args: dict[str, Any]) -> dict[str, Any]:
        chat_id = args["chat_id"]
        text = self._visible_text(args)  # refused HTML uses up no message id
        message = self._new_message(chat_id)
        message["text"] = text
        if args.get("reply_markup"):
            message["reply_markup"] = args["reply_markup"]
        reply = args.get("reply_parameters")
        if reply:
            replied = self._messages.get((chat_id, int(reply["message_id"])))
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
            elif not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        message["_html"] = args["text"]
        self._messages[(chat_id, message["message_id"])] = message
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _edit_text(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(args)
        text, markup = self._visible_text(args), args.get("reply_markup")
        if message["_html"] == args["text"] and message.get("reply_markup") == markup:
            raise ApiError(400, load_payload("error_400_not_modified.json")["description"])
        message.update(text=text, _html=args["text"], edit_date=int(time.time()))
        self._set_markup(message, markup)
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _edit_markup(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(args)
        markup = args.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise ApiError(400, load_payload("error_400_not_modified.json")["description"])
        self._set_markup(message, markup)
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _editable(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args["chat_id"], int(args["message_id"]))
        if key not in self._messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self._messages[key]

    @staticmethod
    def _set_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)

    @staticmethod
    def _visible_text(args: dict[str, Any]) -> str:
        text = str(args["text"])
        visible = parse_html(text) if args.get("parse_mode") == "HTML" else text
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return visible

    def prepare(self, update: dict[str, Any]) -> None:
        """Give a new update its id, and a new user message its id, as Telegram does."""
        with self._lock:
            self._prepare(update)

    def _prepare(self, update: dict[str, Any]) -> None:
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
            self._next_update_id += 1
        message = update.get("message")
        if message is not None:
            chat_id = message["chat"]["id"]
            self._chats.setdefault(chat_id, message["chat"])
            if "message_id" not in message:
                message["message_id"] = self._new_message_id(chat_id)
            self._messages[(chat_id, message["message_id"])] = message

    def _new_message_id(self, chat_id: int) -> int:
        number = self._next_message_id.get(chat_id, 1001)
        self._next_message_id[chat_id] = number + 1
        return number

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id not in self._chats:
            if chat_id < 0:
                self._chats[chat_id] = {
                    "id": chat_id,
                    "title": f"Group {chat_id}",
                    "type": "supergroup",
                }
            else:
                self._chats[chat_id] = {"id": chat_id, "first_name": "User", "type": "private"}
        return self._chats[chat_id]

    def _bot_user(self) -> dict[str, Any]:
        return {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")}


def multipart_fields(body: bytes, content_type: str) -> dict[str, Any]:
    """An upload's fields; a file becomes {"filename", "content"} (the bytes, as sent)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    form = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in form.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        filename = part.get_filename()
        if filename is not None:
            fields[str(name)] = {"filename": filename, "content": content}
        else:
            fields[str(name)] = content.decode("utf-8")
    return fields


NUMERIC_FIELDS = {"chat_id", "user_id", "message_id", "offset", "limit", "timeout"}


def parse_arguments(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    """PTB posts forms whose nested objects are JSON strings; JSON bodies and queries work too."""
    args: dict[str, Any] = dict(parse_qsl(query))
    if body and content_type.startswith("application/json"):
        args.update(json.loads(body))
    elif body and content_type.startswith("multipart/form-data"):
        args.update(multipart_fields(body, content_type))
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for name in JSON_FIELDS & args.keys():
        if isinstance(args[name], str):
            args[name] = json.loads(args[name])
    # A form carries numbers as text, a JSON body as numbers; Telegram takes both, and so tests
    # see ids as numbers whichever way the bot sent them.
    for name in NUMERIC_FIELDS & args.keys():
        value = args[name]
        if isinstance(value, str) and value.lstrip("-").isdigit():
            args[name] = int(value)
    return args


def _handler_for(api: BotApiStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects of a real server
        disable_nagle_algorithm = True  # headers and body go out apart: no 40 ms delayed-ACK wait

        def do_POST(self) -> None:
            self._serve()

        def do_GET(self) -> None:
            self._serve()

        def _serve(self) -> None:
            path = urlsplit(self.path)
            match = re.fullmatch(r"/bot([^/]+)/(\w+)", path.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if match is None:
                status, answer = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            else:
                args = parse_arguments(body, self.headers.get("Content-Type", ""), path.query)
                status, answer = api.handle(match.group(1), match.group(2), args)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # A bot that stopped closes its long poll: nobody is listening any more.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the calls are recorded instead."""

    return Handler
