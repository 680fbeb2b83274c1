"""The register's schema version: Alembic migrations shipped in the package, and the start check.

The migrations live in `register/migrations/` and are found with importlib.resources, so an
installed wheel needs no alembic.ini. When a process opens the register:

- a SQLite register (the embedded default, one file that only this bot uses) is brought up to
  date automatically, so `supportbot chat` works on a fresh machine and after an update;
- any other database (PostgreSQL) is never changed behind the operator's back: an outdated or
  empty schema stops the process with one line naming `supportbot db upgrade`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from register.database import SchemaNotCurrent

BASELINE = "0001"  # the schema the walking skeleton made with create_all, before migrations
UPGRADE_COMMAND = "supportbot db upgrade"
# Any fixed number: two `db upgrade` at once on PostgreSQL take turns instead of colliding.
POSTGRES_MIGRATION_LOCK = 4_181_915_046


@contextmanager
def alembic_config(connection: Connection | None = None) -> Iterator[Config]:
    """Alembic's configuration, pointing at the migrations inside the installed package."""
    with as_file(files("register") / "migrations") as location:
        config = Config()
        config.set_main_option("script_location", str(location))
        # New revisions are named like the shipped ones: rev0004_what_it_does.py
        config.set_main_option("file_template", "rev%%(rev)s_%%(slug)s")
        config.attributes["connection"] = connection
        yield config


def head_revision() -> str:
    """The revision this version of the bot needs."""
    with alembic_config() as config:
        head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("the package has no migrations")
    return head


def current_revision(connection: Connection) -> str | None:
    """The database's revision; the baseline for a register made before migrations existed."""
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None and inspect(connection).has_table("requests"):
        return BASELINE
    return revision


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply the migrations up to `revision` in one transaction; returns (before, after)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK}
            )
        before = current_revision(connection)
        with alembic_config(connection) as config:
            if before == BASELINE and not _has_version_table(connection):
                command.stamp(config, BASELINE)  # made by create_all: it *is* the baseline
            command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
    return before, after or ""


def _has_version_table(connection: Connection) -> bool:
    return inspect(connection).has_table("alembic_version")


def check_schema(engine: Engine) -> None:
    """Raise SchemaNotCurrent, with the command to run, unless the schema is at the head."""
    head = head_revision()
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == head:
        return
    if current is None:
        raise SchemaNotCurrent(f"the register has no tables yet: run `{UPGRADE_COMMAND}`")
    if not _is_known(current):
        raise SchemaNotCurrent(
            f"the register's schema ({current}) is newer than this version of supportbot "
            f"({head}): update supportbot"
        )
    raise SchemaNotCurrent(
        f"the register's schema is at {current}, this version needs {head}: run `{UPGRADE_COMMAND}`"
    )


def _is_known(revision: str) -> bool:
    with alembic_config() as config:
        try:
            return ScriptDirectory.from_config(config).get_revision(revision) is not None
        except CommandError:
            return False


def upgrades_automatically(engine: Engine) -> bool:
    """Only SQLite: the embedded register belongs to this bot alone (see the module docstring)."""
    return engine.dialect.name == "sqlite"


def prepare_schema(engine: Engine) -> None:
    """At start: bring a SQLite register up to date; check any other, refusing an old one."""
    if upgrades_automatically(engine):
        upgrade(engine)
    else:
        check_schema(engine)
