"""`supportbot db upgrade|check|prune-events` through the real command line entry point."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli
from register.database import make_engine, make_session_factory
from register.orm import ProcessedEventRow
from register.schema import BASELINE, head_revision, upgrade


def supportbot(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `supportbot ARGS` as the console script does; (exit code, stdout, stderr)."""
    import sys

    argv = sys.argv
    sys.argv = ["supportbot", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", database_url)
    return database_url


def test_db_upgrade_brings_an_empty_register_to_the_newest_revision_and_check_agrees(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = supportbot("db", "upgrade", capsys=capsys)
    assert code == 0
    assert f"up to date at {head_revision()} (was empty)" in out
    code, out, _ = supportbot("db", "check", capsys=capsys)
    assert (code, f"current ({head_revision()})" in out) == (0, True)


def test_db_check_of_an_outdated_register_exits_1_naming_the_command(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(configured)
    try:
        upgrade(engine, BASELINE)
    finally:
        engine.dispose()
    code, _, err = supportbot("db", "check", capsys=capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        f"supportbot: the register's schema is at {BASELINE}, this version needs "
        f"{head_revision()}: run `supportbot db upgrade`"
    ]


def test_db_prune_events_forgets_keys_older_than_the_time_to_live(
    configured: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_EVENT_KEY_TTL_HOURS", "24")
    engine = make_engine(configured)
    try:
        upgrade(engine)
        now = datetime.now(UTC)
        with make_session_factory(engine)() as session, session.begin():
            session.add(ProcessedEventRow(key="old", seen_at=now - timedelta(hours=25)))
            session.add(ProcessedEventRow(key="new", seen_at=now - timedelta(hours=23)))
        code, out, _ = supportbot("db", "prune-events", capsys=capsys)
        with engine.connect() as connection:
            left = set(connection.scalars(select(ProcessedEventRow.key)))
    finally:
        engine.dispose()
    assert (code, left) == (0, {"new"})
    assert "Forgot 1 event keys" in out


def test_a_database_that_cannot_be_reached_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    url = "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2"
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", url)
    code, _, err = supportbot("db", "upgrade", capsys=capsys)
    assert code == 1
    (line,) = err.strip().splitlines()
    assert "cannot use the register" in line
    assert "s3cret" not in line
