"""Alembic environment: runs the register's migrations on the connection `register.schema` gives."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from register.orm import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place: Alembic's batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "the register's migrations run through `supportbot db upgrade` (register.schema), "
            "which hands Alembic an open connection"
        )
    run_migrations(connection)


main()
