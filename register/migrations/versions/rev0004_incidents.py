"""Incidents: L3 incidents grouping requests that describe one problem, the requests and
"known issue" inquiries linked to them, and the messages posted about them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

UTC_TIME = sa.DateTime(timezone=True)
LINKED = ("requests", "inquiries")  # tables that get a nullable incident_id


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ref", sa.String(32), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("site", sa.String(255), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("claimed_by", sa.String(255), nullable=True),
        sa.Column("claimed_by_name", sa.String(255), nullable=True),
        sa.Column("resolved_at", UTC_TIME, nullable=True),
        sa.Column("resolved_by", sa.String(255), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.UniqueConstraint("ref", name="uq_incidents_ref"),
    )
    op.create_index("ix_incidents_status_id", "incidents", ["status", "id"])
    op.create_table(
        "incident_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(255), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("level", sa.String(32), nullable=True),
        sa.Column("thread_id", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_incident_messages"),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_incident_messages_incident_id_incidents"
        ),
        sa.UniqueConstraint(
            "platform", "chat_id", "message_id", name="uq_incident_messages_platform"
        ),
    )
    op.create_index("ix_incident_messages_incident_id", "incident_messages", ["incident_id"])
    for table in LINKED:
        _add_incident_id(table)


def _add_incident_id(table: str) -> None:
    """A nullable column referring to incidents: existing rows stay valid (NULL, no incident)."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table, but it accepts an inline REFERENCES on a
        # new column whose default is NULL, without copying the (large) table.
        op.execute(f"ALTER TABLE {table} ADD COLUMN incident_id INTEGER REFERENCES incidents (id)")
    else:
        op.add_column(table, sa.Column("incident_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            f"fk_{table}_incident_id_incidents", table, "incidents", ["incident_id"], ["id"]
        )
    op.create_index(f"ix_{table}_incident_id", table, ["incident_id"])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in LINKED:
        op.drop_index(f"ix_{table}_incident_id", table_name=table)
        if sqlite:
            # A column-level REFERENCES drops with its column (SQLite 3.35+), without the table
            # copy of batch mode, which other tables' foreign keys to requests would refuse.
            op.execute(f"ALTER TABLE {table} DROP COLUMN incident_id")
        else:
            op.drop_constraint(f"fk_{table}_incident_id_incidents", table, type_="foreignkey")
            op.drop_column(table, "incident_id")
    op.drop_index("ix_incident_messages_incident_id", table_name="incident_messages")
    op.drop_table("incident_messages")
    op.drop_index("ix_incidents_status_id", table_name="incidents")
    op.drop_table("incidents")
