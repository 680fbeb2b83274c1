"""The HTTP server under the local platform stand-ins: a client that hangs up is normal."""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from typing import Any


class StandInServer(ThreadingHTTPServer):
    """Like the real APIs, shrugs off a client that went away mid-request (a bot killed with
    SIGKILL, a test that stopped waiting) instead of printing a traceback; anything else is
    still printed."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
