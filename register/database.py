"""Engines, schema and sessions of the register, on SQLite (embedded) or PostgreSQL."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from register.orm import HistoryRow

SQLITE_BUSY_TIMEOUT_MS = 15_000  # a writer waits this long for another writer's lock
POSTGRES_CONNECT_TIMEOUT_S = 10  # /healthz must answer even when the server is gone
READ_ONLY = "supportbot_read_only"  # execution option: SQLite read transactions need no lock


class AppendOnlyError(RuntimeError):
    """Raised when a flush would change or delete a line of a request's history."""


class SchemaNotCurrent(RuntimeError):  # noqa: N818 - a state of the database, with its remedy
    """The register's schema is not the one this version of the bot needs; says what to run."""


def normalise_url(url: str) -> URL:
    """Pick psycopg 3 for plain `postgresql://` / `postgres://` URLs (psycopg2 is not installed)."""
    if url.startswith("postgres://"):  # the spelling Heroku-style providers hand out
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for the register's URL, with the settings each backend needs."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    # pre_ping: a connection the server dropped (restart, idle timeout) is replaced, not failed.
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_file(url: URL) -> Path | None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _make_sqlite_engine(url: URL) -> Engine:
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # Threads of the bot (platform listeners, SLA clock) share the pool: allow it explicitly.
    engine = create_engine(url, connect_args={"check_same_thread": False})
    _use_sqlalchemy_transactions(engine, wal=path is not None)
    return engine


def _use_sqlalchemy_transactions(engine: Engine, *, wal: bool) -> None:
    """The SQLAlchemy SQLite docs' recipe: the driver emits no BEGIN of its own, we emit
    `BEGIN IMMEDIATE`, so a read-then-write (claiming a request) holds the write lock from its
    first SELECT and two claims serialise instead of both seeing the request unclaimed."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if wal:  # readers and the one writer no longer block each other
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        # Straight to the driver: it is one statement per transaction, and SQLAlchemy's statement
        # machinery (execution context, events) costs more than the BEGIN itself.
        driver = cast(sqlite3.Connection, connection.connection.driver_connection)
        driver.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_schema(engine: Engine) -> None:
    """Bring the schema to the newest revision with the migrations (tests, throwaway registers).

    Never `metadata.create_all`: a schema made without the migrations' version table would be
    taken for the baseline by the next upgrade."""
    from register.schema import upgrade  # Alembic loads only where a schema is made

    upgrade(engine)


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions of the register. `read_only` (reports, the CLI) skips SQLite's write lock."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    # Loaded values stay readable after commit: renderers use them once the transaction ended.
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    event.listen(factory, "before_flush", _refuse_history_changes)
    return factory


def read_only_twin(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions like `factory`'s but for pure reads: on SQLite a plain BEGIN, so a read waits
    for no writer and holds up none. A factory bound to something else than an engine (a test's
    connection) is its own twin."""
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine) or bind.get_execution_options().get(READ_ONLY, False):
        return factory
    return make_session_factory(bind, read_only=True)


@cache  # one statement per table and dialect: its SQL cache key is worked out once
def insert_if_new(dialect: str, table: Table) -> Insert:
    """An INSERT that does nothing when a row with the same key is there (rowcount 0): one
    statement where an insert in a SAVEPOINT would take three, and the ORM's flush on top."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # preserve_rowcount: psycopg's count is otherwise gone once SQLAlchemy closes the cursor.
    return insert(table).on_conflict_do_nothing().execution_options(preserve_rowcount=True)


def _refuse_history_changes(session: Session, _context: object, _instances: object) -> None:
    # The history is an audit trail: lines are only ever appended.
    changed = [row for row in (*session.dirty, *session.deleted) if isinstance(row, HistoryRow)]
    if any(row in session.deleted or session.is_modified(row) for row in changed):
        raise AppendOnlyError("request history is append-only: lines cannot change or go")


def is_reachable(engine: Engine) -> bool:
    """True when the register answers a trivial query (for /healthz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
