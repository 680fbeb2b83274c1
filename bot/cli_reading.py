"""What every `supportbot` command that reads the register shares: opening it, failing well."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.core.model import Level, Status
from config.sites import Sites, SitesFileError
from register.database import SchemaNotCurrent, make_engine, make_session_factory
from register.queries import JsonValue
from register.schema import prepare_schema

if TYPE_CHECKING:
    from bot.core.sla import BusinessHoursSla
    from config.settings import Settings


Choice = TypeVar("Choice", Status, Level)


def fail(message: str) -> NoReturn:
    """A user error: one line on stderr, exit 1, no traceback."""
    typer.echo(f"supportbot: {message}", err=True)
    raise typer.Exit(1)


def parse_choice(kind: type[Choice], value: str | None, option: str) -> Choice | None:
    """The enum member named by `value` (any case), or a friendly error listing valid values."""
    if value is None:
        return None
    for member in kind:
        if member.value.lower() == value.strip().lower():
            return member
    valid = ", ".join(member.value for member in kind)
    fail(f"unknown {option} {value!r}; choose one of: {valid}")


def safe_url(url: str) -> str:
    """The URL without its password, for messages; never the raw text of a broken one."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "SUPPORTBOT_DATABASE_URL"


def open_engine(url: str) -> Engine:
    try:
        return make_engine(url)
    except ArgumentError:
        fail("SUPPORTBOT_DATABASE_URL is not a database URL (e.g. sqlite:///supportbot.sqlite3)")
    except (OSError, SQLAlchemyError) as error:  # a folder that cannot be made, no driver
        reason = error.strerror if isinstance(error, OSError) else type(error).__name__
        fail(f"cannot open the register at {safe_url(url)}: {reason}")


@dataclass(frozen=True)
class Reading:
    """An open read-only session on the configured register, and the settings it came from."""

    session: Session
    settings: Settings
    engine: Engine  # audit lines and purges are written in transactions of their own

    def sla(self) -> BusinessHoursSla:
        """The SLA policy of the deployment (settings and sites file), to judge requests by."""
        from bot.bootstrap import build_sla, load_sites_of

        return build_sla(self.settings.sla, load_sites_of(self.settings))


def load_settings_or_fail() -> Settings:
    from config.settings import load_settings

    try:
        return load_settings()
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"invalid setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@contextmanager
def read_register() -> Iterator[Reading]:
    """Read the configured register: SQLite is brought up to date on first use, any other
    database must already be (`supportbot db upgrade`)."""
    settings = load_settings_or_fail()
    engine = open_engine(settings.database_url)
    try:
        prepare_schema(engine)
        with make_session_factory(engine, read_only=True)() as session:
            yield Reading(session, settings, engine)
    except SQLAlchemyError as error:
        # The driver's first line says what is wrong (refused, no such database, …).
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        fail(f"cannot read the register at {safe_url(settings.database_url)}: {reason}")
    except (SchemaNotCurrent, SitesFileError) as error:  # the message says what to do
        fail(str(error))
    finally:
        engine.dispose()


def print_json(data: JsonValue) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def resolve_site(reading: Reading, site: str | None) -> str | None:
    """A configured site's exact name for `site` in any case; other names are taken as typed
    (a site that was renamed or removed still has its requests)."""
    if site is None:
        return None
    from bot.bootstrap import load_sites_of

    known = [*load_sites_of(reading.settings).names, *reading.settings.sites]
    return next((name for name in known if name.lower() == site.strip().lower()), site.strip())


def load_sites_of_reading(reading: Reading) -> Sites:
    from bot.bootstrap import load_sites_of

    return load_sites_of(reading.settings)
