"""The bot's HTTP client for the Bot API: aiohttp, with JSON bodies.

PTB's own client (httpx over httpcore and h11) is pure Python: sending one 3.5 KB answer with
its keyboard cost the event loop 1.7 ms of CPU, most of it form-encoding the text character by
character and httpcore probing every pooled connection (a `getpeername` and a `poll` each) before
and after each request. aiohttp parses HTTP in C and the body goes as one `json.dumps`: 0.54 ms
for the same message (`python -m bench.telegram_send`). The event loop serves every chat, so this is
the bot's throughput (`bench/telegram_flow.py`).

PTB keeps everything else: building the parameters, reading the answer, turning Telegram's
errors into `BadRequest`, `Forbidden`, `RetryAfter`. This class only carries bytes, as PTB's
`BaseRequest` contract asks, and maps aiohttp's failures onto PTB's `TimedOut` and
`NetworkError`. Long polling (getUpdates) keeps PTB's client: it is one request at a time.
Uploads, which the bot does not make today, go through PTB's client too rather than a second
multipart encoder here.
"""

from __future__ import annotations

import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

USER_AGENT = "supportbot (aiohttp; python-telegram-bot)"
NOT_GIVEN = BaseRequest.DEFAULT_NONE  # PTB's "use this client's default" for each timeout
JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": USER_AGENT}


class AiohttpRequest(BaseRequest):
    """One aiohttp session with at most `connection_pool_size` connections to the Bot API.

    Timeouts are PTB's (seconds; None waits for ever): `connect_timeout` for the TCP (and TLS)
    connection, `read_timeout` for each wait on the answer, `pool_timeout` added to the former
    for waiting on a free connection. aiohttp has no write timeout of its own: a JSON body of a
    few kilobytes goes into the socket's buffer at once, and the read timeout covers the wait
    for the answer.
    """

    def __init__(
        self,
        *,
        connection_pool_size: int,
        pool_timeout: float | None = 1.0,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._pool_timeout = pool_timeout
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._uploads: HTTPXRequest | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # trust_env: an operator's HTTPS_PROXY is used, as PTB's client does.
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        if self._uploads is not None:
            await self._uploads.shutdown()
            self._uploads = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = NOT_GIVEN,
        write_timeout: object = NOT_GIVEN,
        connect_timeout: object = NOT_GIVEN,
        pool_timeout: object = NOT_GIVEN,
    ) -> tuple[int, bytes]:
        if request_data is not None and request_data.contains_files:
            uploads = await self._upload_client()
            return await uploads.do_request(
                url,
                method,
                request_data,
                _seconds(read_timeout, self._read_timeout),
                _seconds(write_timeout, self._write_timeout),
                _seconds(connect_timeout, self._connect_timeout),
                _seconds(pool_timeout, self._pool_timeout),
            )
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        body = _json_body(request_data)
        try:
            async with session.request(
                method, url, data=body, headers=JSON_HEADERS, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are also ClientErrors
            raise TimedOut(f"aiohttp.{type(error).__name__}") from error
        except aiohttp.ClientError as error:
            # Not str(error): some of aiohttp's messages quote the URL, and the URL holds the
            # token (the logs scrub it too, this keeps it out of the exception itself).
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error

    def _timeout(
        self, read_timeout: object, connect_timeout: object, pool_timeout: object
    ) -> aiohttp.ClientTimeout:
        read = _seconds(read_timeout, self._read_timeout)
        connect = _seconds(connect_timeout, self._connect_timeout)
        pool = _seconds(pool_timeout, self._pool_timeout)
        # aiohttp's `connect` covers waiting for a pooled connection and opening a new one.
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=None, connect=waiting, sock_connect=connect, sock_read=read
        )

    async def _upload_client(self) -> HTTPXRequest:
        if self._uploads is None:
            self._uploads = HTTPXRequest(
                connection_pool_size=1,
                read_timeout=self._read_timeout,
                write_timeout=self._write_timeout,
                connect_timeout=self._connect_timeout,
                pool_timeout=self._pool_timeout,
                http_version="1.1",
            )
            await self._uploads.initialize()
        return self._uploads


def _seconds(given: object, default: float | None) -> float | None:
    """A timeout PTB passed (seconds, or None for no limit), else this client's default."""
    if given is None or (isinstance(given, int | float) and not isinstance(given, bool)):
        return given
    return default


def _json_body(request_data: RequestData | None) -> bytes:
    """The parameters as one JSON object, nested objects (keyboards, reply parameters) as
    objects: what the Bot API accepts besides forms."""
    parameters = request_data.parameters if request_data is not None else {}
    return json.dumps(parameters, separators=(",", ":")).encode()
