"""coach sessions, messages and feedback

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_sessions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("cv_id", sa.UUID(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("job_description_sealed", sa.LargeBinary(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cv_id"], ["cvs.id"], name=op.f("fk_coach_sessions_cv_id_cvs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_sessions")),
    )
    op.create_index(
        "ix_coach_sessions_user_id_created_at",
        "coach_sessions",
        ["user_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "coach_messages",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply_to", sa.UUID(), nullable=True),
        sa.Column("text_sealed", sa.LargeBinary(), nullable=True),
        sa.Column(
            "meta", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.UUID(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coach_sessions.id"],
            name=op.f("fk_coach_messages_session_id_coach_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_messages_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_messages")),
        sa.UniqueConstraint("reply_to", name=op.f("uq_coach_messages_reply_to")),
    )
    op.create_index(
        "ix_coach_messages_session_id_seq_role",
        "coach_messages",
        ["session_id", "seq", "role"],
        unique=True,
    )
    op.create_index("ix_coach_messages_user_id", "coach_messages", ["user_id"], unique=False)
    op.create_table(
        "coach_feedback",
        sa.Column("message_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("comment_sealed", sa.LargeBinary(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["coach_messages.id"],
            name=op.f("fk_coach_feedback_message_id_coach_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_feedback_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_coach_feedback")),
    )
    op.create_index(op.f("ix_coach_feedback_user_id"), "coach_feedback", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_coach_feedback_user_id"), table_name="coach_feedback")
    op.drop_table("coach_feedback")
    op.drop_index("ix_coach_messages_user_id", table_name="coach_messages")
    op.drop_index("ix_coach_messages_session_id_seq_role", table_name="coach_messages")
    op.drop_table("coach_messages")
    op.drop_index("ix_coach_sessions_user_id_created_at", table_name="coach_sessions")
    op.drop_table("coach_sessions")
