"""Real registers for integration tests: a temporary SQLite file and a throwaway PostgreSQL schema.

PostgreSQL comes from SUPPORTBOT_TEST_POSTGRES_URL. Every test gets its own schema, dropped at
the end, so parallel runs on one server never see each other. An unreachable server skips the
PostgreSQL cases locally and fails them when CI=true, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from register.database import (
    create_schema,
    is_reachable,
    make_engine,
    make_session_factory,
    normalise_url,
)
from register.unit_of_work import SqlUnitOfWorkFactory

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get("SUPPORTBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    engine = make_engine(url)
    try:
        reachable = is_reachable(engine)
    finally:
        engine.dispose()
    if not reachable:
        safe = normalise_url(url).render_as_string(hide_password=True)
        message = f"PostgreSQL is not reachable at {safe} (set SUPPORTBOT_TEST_POSTGRES_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """The server's URL with the search path set to a fresh schema of this test's own."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(postgres_server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = normalise_url(postgres_server_url).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # A session a test left open would block the drop for ever: fail loudly instead.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('register') / 'register.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(session_factory, reference_prefix="SR")
