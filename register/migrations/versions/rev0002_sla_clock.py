"""The SLA clock and a register of millions: when a request reached its level and since when its
clock is paused; list indexes ending in (created_at, id), a partial one of unresolved requests;
due-time and event-age indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_TIME = sa.DateTime(timezone=True)

# The unresolved requests (few, and what staff look at) get a partial index of their own.
UNRESOLVED = "status IN ('open', 'claimed', 'waiting')"
UNRESOLVED_INDEXES = {
    "ix_requests_unresolved_created_at_id": ["created_at", "id"],
    "ix_requests_unresolved_site_created_at_id": ["site", "created_at", "id"],
    "ix_requests_unresolved_level_created_at_id": ["level", "created_at", "id"],
}
# Superseded by the wider indexes below, which also give the newest-first order.
OLD_INDEXES = {
    "ix_requests_created_at": ["created_at"],
    "ix_requests_site": ["site"],
    "ix_requests_status_level": ["status", "level"],
}
NEW_INDEXES = {
    "ix_requests_created_at_id": ["created_at", "id"],
    "ix_requests_status_created_at_id": ["status", "created_at", "id"],
    "ix_requests_status_level_created_at_id": ["status", "level", "created_at", "id"],
    "ix_requests_level_created_at_id": ["level", "created_at", "id"],
    "ix_requests_site_created_at_id": ["site", "created_at", "id"],
    "ix_requests_status_first_response_due": ["status", "first_response_due"],
    "ix_requests_status_resolution_due": ["status", "resolution_due"],
}


def upgrade() -> None:
    op.add_column("requests", sa.Column("level_entered_at", UTC_TIME, nullable=True))
    op.add_column("requests", sa.Column("paused_at", UTC_TIME, nullable=True))
    # Requests already waiting for their requester: their clock stopped at the last change,
    # which for a waiting request is the staff reply that made it wait.
    requests = sa.table(
        "requests",
        sa.column("status", sa.String()),
        sa.column("updated_at", UTC_TIME),
        sa.column("paused_at", UTC_TIME),
    )
    op.execute(
        requests.update()
        .where(requests.c.status == "waiting")
        .values(paused_at=requests.c.updated_at)
    )
    for name in OLD_INDEXES:
        op.drop_index(name, table_name="requests")
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "requests", columns)
    for name, columns in UNRESOLVED_INDEXES.items():
        where = sa.text(UNRESOLVED)
        op.create_index(name, "requests", columns, sqlite_where=where, postgresql_where=where)
    op.create_index("ix_processed_events_seen_at", "processed_events", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_events_seen_at", table_name="processed_events")
    for name in UNRESOLVED_INDEXES:
        op.drop_index(name, table_name="requests")
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="requests")
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "requests", columns)
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("paused_at")
        batch.drop_column("level_entered_at")
