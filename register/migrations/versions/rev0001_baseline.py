"""Baseline: the register as the walking skeleton created it (requests, history, inquiries,
posted messages, preferences, processed events).

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

UTC_TIME = sa.DateTime(timezone=True)  # register.orm.UtcDateTime stores this type


def _requests() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("requester_id", sa.String(length=255), nullable=False),
        sa.Column("requester_name", sa.String(length=255), nullable=False),
        sa.Column("requester_language", sa.String(length=35), nullable=True),
        sa.Column("reply_chat_id", sa.String(length=255), nullable=False),
        sa.Column("reply_thread_id", sa.String(length=255), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("site", sa.String(length=255), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("suggested_ids", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.String(length=32), nullable=False),
        sa.Column("claimed_by", sa.String(length=255), nullable=True),
        sa.Column("claimed_by_name", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("first_response_due", UTC_TIME, nullable=True),
        sa.Column("resolution_due", UTC_TIME, nullable=True),
        sa.Column("first_response_at", UTC_TIME, nullable=True),
        sa.Column("resolved_at", UTC_TIME, nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.UniqueConstraint("ref", name="uq_requests_ref"),
    )
    op.create_index("ix_requests_created_at", "requests", ["created_at"])
    op.create_index("ix_requests_platform_requester_id", "requests", ["platform", "requester_id"])
    op.create_index("ix_requests_site", "requests", ["site"])
    op.create_index("ix_requests_status_level", "requests", ["status", "level"])


def _request_history() -> None:
    op.create_table(
        "request_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_request_history_request_id_requests"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_request_history"),
    )
    op.create_index("ix_request_history_request_id_at", "request_history", ["request_id", "at"])


def _inquiries() -> None:
    op.create_table(
        "inquiries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("requester_id", sa.String(length=255), nullable=False),
        sa.Column("requester_name", sa.String(length=255), nullable=False),
        sa.Column("requester_language", sa.String(length=35), nullable=True),
        sa.Column("reply_chat_id", sa.String(length=255), nullable=False),
        sa.Column("reply_thread_id", sa.String(length=255), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("site", sa.String(length=255), nullable=True),
        sa.Column("suggested_ids", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("solved_article_id", sa.String(length=255), nullable=True),
        sa.Column("answered_at", UTC_TIME, nullable=True),
        sa.Column("request_ref", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inquiries"),
    )
    op.create_index("ix_inquiries_created_at", "inquiries", ["created_at"])
    op.create_index("ix_inquiries_request_ref", "inquiries", ["request_ref"])


def _posted_messages() -> None:
    op.create_table(
        "posted_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("thread_id", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_posted_messages_request_id_requests"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_posted_messages"),
        sa.UniqueConstraint(
            "platform", "chat_id", "message_id", name="uq_posted_messages_platform"
        ),
    )
    op.create_index("ix_posted_messages_request_id", "posted_messages", ["request_id"])


def _preferences_and_events() -> None:
    op.create_table(
        "preferences",
        sa.Column("identity", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("site", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("identity", name="pk_preferences"),
    )
    op.create_table(
        "processed_events",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("seen_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_processed_events"),
    )


def upgrade() -> None:
    _requests()
    _request_history()
    _inquiries()
    _posted_messages()
    _preferences_and_events()


def downgrade() -> None:
    for table in (
        "processed_events",
        "preferences",
        "posted_messages",
        "inquiries",
        "request_history",
        "requests",
    ):
        op.drop_table(table)
