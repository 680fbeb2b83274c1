"""Secrets kept out of the logs: every record is scrubbed of the configured secret values as it
is made, so no logger, level or handler (ours, a library's, an operator's) can print them."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from config.settings import Settings

REDACTED = "[redacted]"
# Shorter values would blank out ordinary words of every log line; such a secret is no secret.
MIN_SECRET_CHARS = 6
_FORMATTER = logging.Formatter()


class SecretRedactor:
    """Replaces each secret, also as it looks inside a URL or a form, by `[redacted]`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms = {
            form
            for secret in secrets
            if len(secret) >= MIN_SECRET_CHARS
            for form in (secret, quote(secret, safe=""), quote_plus(secret))
        }
        longest_first = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, longest_first))) if forms else None

    def redact(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text) if self._pattern is not None else text

    def scrub(self, record: logging.LogRecord) -> None:
        """The record's message, traceback and stack, with the secrets taken out."""
        if self._pattern is None:
            return
        try:
            message = record.getMessage()
        except Exception:  # a broken format: the handler reports it, with the arguments
            record.msg, record.args = self.redact(str(record.msg)), None
            return
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # A traceback may quote a URL with a token in it: format it now, scrubbed.
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)


def install_redaction(secrets: Iterable[str]) -> Callable[[], None]:
    """From now on every log record is made without these secrets. Returns the undo (tests)."""
    redactor = SecretRedactor(secrets)
    previous = logging.getLogRecordFactory()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redactor.scrub(record)
        return record

    logging.setLogRecordFactory(make_record)

    def undo() -> None:
        if logging.getLogRecordFactory() is make_record:
            logging.setLogRecordFactory(previous)

    return undo


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold: platform tokens, signing and webhook secrets, and the
    register's database password."""
    slack, telegram = settings.slack, settings.telegram
    held = [
        slack.bot_token,
        slack.signing_secret,
        slack.app_token,
        telegram.token,
        telegram.webhook_secret,
    ]
    values = [secret.get_secret_value() for secret in held if secret is not None]
    try:
        password = make_url(settings.database_url).password
    except ArgumentError:
        password = None
    return [*values, str(password)] if password else values
