"""The `supportbot` command line (Typer): chat, run, kb, register, db."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from config.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    help="Support assistant for Primero (CPIMS+) users: answers from the knowledge base, "
    "logs what it cannot solve, and lets L1/L2/L3 staff work requests from chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The register's database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def fail(message: str) -> NoReturn:
    """A user error: one line on stderr, exit 1, no traceback."""
    typer.echo(f"supportbot: {message}", err=True)
    raise typer.Exit(1)


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        fail(f"invalid setting {where}: {first['msg']}")


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log lines on stderr, never with a secret in them."""
    from bot.redaction import install_redaction

    install_redaction(secrets)
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request's URL at INFO, and Telegram's URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def typed_lines(prompt: object) -> Iterator[str]:
    """Lines typed at the terminal; Ctrl-D and Ctrl-C end the chat cleanly."""
    while True:
        try:
            yield input(str(prompt))
        except (EOFError, KeyboardInterrupt):
            print()
            return


class _Prompt:
    """Re-evaluated at every line, so the prompt follows `/as l2`."""

    def __init__(self, chat: object) -> None:
        self._chat = chat

    def __str__(self) -> str:
        return str(self._chat.prompt())  # type: ignore[attr-defined]


def start_chat(settings: Settings, language: str | None) -> None:
    from bot.bootstrap import build_app
    from bot.console.chat import ConsoleChat
    from bot.console.render import ConsoleNotifier
    from bot.core.model import Level
    from bot.redaction import secrets_of

    configure_logging("WARNING", secrets_of(settings))
    notifier = ConsoleNotifier(sys.stdout)
    # The terminal is one trusted person playing every role, so it is staff of every level.
    bot = build_app(settings, notifier, extra_staff={level: ["console:*"] for level in Level})
    print(
        f"Knowledge base: {bot.article_count} articles. Register: {safe_url(settings.database_url)}"
    )
    chat = ConsoleChat(bot.desk, notifier, sys.stdout, language)
    try:
        chat.run(typed_lines(_Prompt(chat)))
    finally:
        bot.close()


@app.command()
def chat(
    language: Annotated[
        str | None, typer.Option(help="Your language (en, fr, es, pt, ar); default: settings.")
    ] = None,
) -> None:
    """Terminal chat on the embedded defaults: play field user, L1, L2 and L3 in one terminal."""
    start_chat(settings_or_fail(), language)


@app.command()
def run() -> None:
    """Start every platform whose credentials are configured (Slack, Telegram)."""
    settings = settings_or_fail()
    missing = settings.missing_platform_settings()
    if missing:
        if sys.stdin.isatty():
            print(
                "No chat platform is configured (set SUPPORTBOT_SLACK__BOT_TOKEN or "
                "SUPPORTBOT_TELEGRAM__TOKEN); starting the terminal chat instead."
            )
            start_chat(settings, None)
            return
        fail(f"no chat platform is configured: set {' or '.join(missing)}")
    from bot.redaction import secrets_of
    from bot.runner import configured_platforms, run_until_signalled

    configure_logging(settings.log_level, secrets_of(settings))
    run_until_signalled(settings, configured_platforms(settings))


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[
        str, typer.Option(help="Migrate to this revision instead of the newest.")
    ] = "head",
) -> None:
    """Apply the Alembic migrations to SUPPORTBOT_DATABASE_URL (safe to run again)."""
    from register.schema import upgrade

    settings = settings_or_fail()
    with _database(settings) as engine:
        before, after = upgrade(engine, revision)
    url = safe_url(settings.database_url)
    print(f"Register schema is up to date at {after} (was {before or 'empty'}): {url}")


@db_app.command("check")
def db_check() -> None:
    """Exit 0 when the schema is the one this version needs; 1, naming the command, if not."""
    from register.schema import check_schema, head_revision

    settings = settings_or_fail()
    with _database(settings) as engine:
        check_schema(engine)
    print(f"Register schema is current ({head_revision()}): {safe_url(settings.database_url)}")


@db_app.command("prune-events")
def db_prune_events() -> None:
    """Forget event keys older than SUPPORTBOT_EVENT_KEY_TTL_HOURS.

    The bot also does this by itself, at most once an hour.
    """
    from datetime import UTC, datetime, timedelta

    from register.database import make_session_factory
    from register.schema import check_schema
    from register.unit_of_work import prune_event_keys

    settings = settings_or_fail()
    cutoff = datetime.now(UTC) - timedelta(hours=settings.event_key_ttl_hours)
    with _database(settings) as engine:
        check_schema(engine)
        with make_session_factory(engine)() as session, session.begin():
            pruned = prune_event_keys(session, cutoff)
    print(f"Forgot {pruned} event keys first seen before {cutoff:%Y-%m-%d %H:%M} UTC")


@contextmanager
def _database(settings: Settings) -> Iterator[Engine]:
    """The register's engine; a database that cannot be reached is a one-line error."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from register.database import make_engine

    try:
        engine = make_engine(settings.database_url)
    except ArgumentError:
        fail("SUPPORTBOT_DATABASE_URL is not a database URL (e.g. sqlite:///supportbot.sqlite3)")
    try:
        yield engine
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        fail(f"cannot use the register at {safe_url(settings.database_url)}: {reason}")
    finally:
        engine.dispose()


def _mount_subcommands() -> None:
    from bot.cli_kb import kb_app
    from bot.cli_register import register_app
    from bot.cli_sla import sla_app

    app.add_typer(kb_app, name="kb")  # kb_app's own help documents the KB formats
    from bot.cli_incidents import mount_incidents

    mount_incidents(register_app)  # `register incidents`, next to `register list`
    app.add_typer(register_app, name="register", help="The central register of requests.")
    from bot.cli_sweep import mount_sweep

    mount_sweep(sla_app)  # `sla sweep`, next to the reports of `sla report`
    app.add_typer(sla_app, name="sla", help="How requests fare against the SLA targets.")


def main() -> None:
    from config.sites import SitesFileError
    from register.database import SchemaNotCurrent

    _mount_subcommands()
    try:
        app()
    except OSError as error:  # a database file or KB folder that cannot be opened
        typer.echo(f"supportbot: {error.strerror or error}: {error.filename or ''}", err=True)
        sys.exit(1)
    except (SchemaNotCurrent, SitesFileError) as error:  # the message says what to do
        typer.echo(f"supportbot: {error}", err=True)
        sys.exit(1)
