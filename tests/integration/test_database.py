"""Engines, schema and health checks of the register on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import StatementError

from register.database import (
    create_schema,
    is_reachable,
    make_engine,
    make_session_factory,
    normalise_url,
)
from register.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.builders import a_request

TABLES = {
    "requests",
    "request_history",
    "inquiries",
    "posted_messages",
    "preferences",
    "processed_events",
}


def test_the_schema_has_every_table_and_creating_it_again_is_harmless(engine: Engine) -> None:
    create_schema(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_constraints_and_indexes_have_the_names_migrations_will_use(engine: Engine) -> None:
    schema = inspect(engine)
    assert schema.get_pk_constraint("requests")["name"] == "pk_requests"
    foreign = schema.get_foreign_keys("request_history")
    assert [fk["name"] for fk in foreign] == ["fk_request_history_request_id_requests"]
    assert {"uq_requests_ref"} <= {uq["name"] for uq in schema.get_unique_constraints("requests")}
    indexes = {index["name"] for index in schema.get_indexes("requests")}
    assert {
        "ix_requests_created_at_id",
        "ix_requests_status_created_at_id",
        "ix_requests_status_level_created_at_id",
        "ix_requests_level_created_at_id",
        "ix_requests_site_created_at_id",
        "ix_requests_platform_requester_id",
        "ix_requests_status_first_response_due",
        "ix_requests_status_resolution_due",
    } <= indexes


def test_the_register_answers_when_it_is_reachable(engine: Engine) -> None:
    assert is_reachable(engine) is True


def test_a_server_that_is_not_there_is_unreachable_without_hanging() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    started = time.monotonic()
    try:
        assert is_reachable(engine) is False
    finally:
        engine.dispose()
    assert time.monotonic() - started < 15


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.sqlite3").drivername == "sqlite"


def test_a_sqlite_register_creates_its_folder_and_uses_wal_and_foreign_keys(
    tmp_path: Path,
) -> None:
    database = tmp_path / "deep" / "er" / "register.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        create_schema(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (connection.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
    finally:
        engine.dispose()
    assert database.exists()


def test_an_in_memory_sqlite_register_works_for_quick_experiments() -> None:
    engine = make_engine("sqlite://")
    try:
        create_schema(engine)
        with SqlUnitOfWorkFactory(make_session_factory(engine))() as work:
            work.requests.add(a_request())
            work.commit()
    finally:
        engine.dispose()


def test_naive_datetimes_are_refused(uow: SqlUnitOfWorkFactory) -> None:
    with uow() as work, pytest.raises(StatementError, match="naive datetime"):
        work.requests.add(a_request(created_at=datetime(2026, 11, 23, 10, 0)))


def test_a_reader_is_not_held_up_by_a_writer_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'register.sqlite3'}")
    create_schema(engine)
    try:
        with SqlUnitOfWorkFactory(make_session_factory(engine))() as writing:
            writing.requests.add(a_request())  # holds SQLite's write lock until the end
            started = time.monotonic()
            with make_session_factory(engine, read_only=True)() as reading:
                assert reading.execute(text("SELECT count(*) FROM requests")).scalar() == 0
            assert time.monotonic() - started < 2
    finally:
        engine.dispose()
