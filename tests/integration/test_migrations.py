"""Alembic migrations on SQLite and PostgreSQL: from empty, with data in place, and in step
with the models; the start check that refuses an outdated schema."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, TableClause, column, select, table, text

from bot.core.model import Level, Status
from register.database import SchemaNotCurrent, make_engine, make_session_factory
from register.orm import Base, RequestRow
from register.schema import (
    BASELINE,
    alembic_config,
    check_schema,
    current_revision,
    head_revision,
    prepare_schema,
    upgrade,
)
from register.unit_of_work import SqlUnitOfWorkFactory

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def bare(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database (no tables, no revision)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


def test_upgrading_an_empty_database_reaches_the_newest_revision(bare: Engine) -> None:
    assert upgrade(bare) == (None, head_revision())
    assert revision_of(bare) == head_revision()
    check_schema(bare)


def test_the_models_and_the_migrations_agree(bare: Engine) -> None:
    upgrade(bare)
    assert differences(bare) == []


def test_upgrading_again_changes_nothing(bare: Engine) -> None:
    upgrade(bare)
    assert upgrade(bare) == (head_revision(), head_revision())


BASELINE_REQUEST = {
    "level": "L1",
    "platform": "slack",
    "requester_id": "U0ALICE001",
    "requester_name": "Alice",
    "reply_chat_id": "D0ALICE",
    "language": "fr",
    "site": "Kenya",
    "question": "Sync fails",
    "suggested_ids": ["sync-errors"],
    "feedback": "no_match",
    "created_at": T0,
    "first_response_due": T0.replace(hour=17),
    "resolution_due": T0.replace(day=25),
}


def at_baseline(name: str, columns: Iterable[str]) -> TableClause:
    """Only the given columns of a table: rows written as the baseline schema has them."""
    model = Base.metadata.tables[name]
    return table(name, *(column(c, model.c[c].type) for c in columns))


def insert_at_baseline(engine: Engine) -> None:
    requests = [
        {**BASELINE_REQUEST, "ref": "SR-1", "status": "open", "updated_at": T0},
        {**BASELINE_REQUEST, "ref": "SR-2", "status": "waiting", "updated_at": T0.replace(hour=12)},
    ]
    with engine.begin() as connection:
        connection.execute(at_baseline("requests", requests[0]).insert(), requests)
        ids = connection.scalars(text("SELECT id FROM requests ORDER BY id")).all()
        history = [
            {"request_id": i, "at": T0, "actor": "slack:U0A", "action": "logged", "detail": "x"}
            for i in ids
        ]
        connection.execute(at_baseline("request_history", history[0]).insert(), history)
        event = {"key": "slack:Ev1", "seen_at": T0}
        connection.execute(at_baseline("processed_events", event).insert(), [event])


def test_an_upgrade_keeps_the_rows_in_place_and_starts_the_clock_of_waiting_ones(
    bare: Engine,
) -> None:
    upgrade(bare, BASELINE)
    insert_at_baseline(bare)
    assert upgrade(bare) == (BASELINE, head_revision())
    with SqlUnitOfWorkFactory(make_session_factory(bare))() as work:
        waiting, still_open = work.requests.get("SR-2"), work.requests.get("SR-1")
        history = work.requests.history("SR-1")
    assert waiting is not None
    assert still_open is not None
    assert (waiting.status, waiting.paused_at) == (Status.WAITING, T0.replace(hour=12))
    assert (still_open.level, still_open.site, still_open.paused_at) == (Level.L1, "Kenya", None)
    assert still_open.suggested_ids == ("sync-errors",)
    assert still_open.deadlines is not None
    assert still_open.deadlines.resolution == T0.replace(day=25)
    assert [entry.detail for entry in history] == ["x"]
    assert differences(bare) == []


def test_a_register_made_before_migrations_is_taken_as_the_baseline(bare: Engine) -> None:
    upgrade(bare, BASELINE)
    insert_at_baseline(bare)
    with bare.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))  # as create_all left it
    assert revision_of(bare) == BASELINE
    upgrade(bare)
    assert revision_of(bare) == head_revision()
    with bare.connect() as connection:
        assert connection.scalar(select(RequestRow.ref).where(RequestRow.id == 1)) == "SR-1"


def test_downgrading_to_the_baseline_and_back_works(bare: Engine) -> None:
    upgrade(bare)
    with bare.begin() as connection, alembic_config(connection) as config:
        command.downgrade(config, BASELINE)
    assert revision_of(bare) == BASELINE
    upgrade(bare)
    assert differences(bare) == []


def test_the_start_check_names_the_command_for_an_empty_or_outdated_schema(bare: Engine) -> None:
    with pytest.raises(SchemaNotCurrent, match=r"no tables yet: run `supportbot db upgrade`"):
        check_schema(bare)
    upgrade(bare, BASELINE)
    with pytest.raises(SchemaNotCurrent, match=r"at 0001, this version needs .*db upgrade"):
        check_schema(bare)


def test_a_schema_newer_than_the_code_asks_for_a_newer_supportbot(bare: Engine) -> None:
    upgrade(bare)
    with bare.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaNotCurrent, match="newer than this version of supportbot"):
        check_schema(bare)


def test_only_sqlite_is_upgraded_automatically_at_start(bare: Engine) -> None:
    upgrade(bare, BASELINE)
    if bare.dialect.name == "sqlite":
        prepare_schema(bare)
        assert revision_of(bare) == head_revision()
    else:
        with pytest.raises(SchemaNotCurrent, match="supportbot db upgrade"):
            prepare_schema(bare)
        assert revision_of(bare) == BASELINE


def test_two_upgrades_at_once_both_finish_and_migrate_once(bare: Engine) -> None:
    start = threading.Barrier(2)

    def migrate() -> tuple[str | None, str]:
        start.wait()
        return upgrade(bare)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [future.result(timeout=60) for future in [pool.submit(migrate) for _ in "ab"]]
    assert sorted(results, key=str) == sorted(
        [(None, head_revision()), (head_revision(), head_revision())], key=str
    )


def test_the_migrations_are_found_without_an_alembic_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with alembic_config() as config:
        location = Path(config.get_main_option("script_location") or "")
    assert (location / "env.py").is_file()
    assert location.parent.name == "register"
    assert head_revision()


@pytest.mark.postgres
def test_the_bot_refuses_to_start_on_an_outdated_postgresql_schema_with_one_line(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    try:
        upgrade(engine, BASELINE)
    finally:
        engine.dispose()
    environment = {**os.environ, "SUPPORTBOT_DATABASE_URL": postgres_url}
    started = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )
    assert started.returncode == 1, started.stderr
    assert started.stderr.strip().splitlines() == [
        f"supportbot: the register's schema is at {BASELINE}, this version needs "
        f"{head_revision()}: run `supportbot db upgrade`"
    ]
    upgraded = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"up to date at {head_revision()} (was {BASELINE})" in upgraded.stdout
