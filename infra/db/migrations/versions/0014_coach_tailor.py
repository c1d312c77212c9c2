"""coach suggestions: tailor mode's CV changes and the user's decisions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_suggestions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("reply_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=16), nullable=False),
        sa.Column("change_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="proposed", nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["coach_messages.id"],
            name=op.f("fk_coach_suggestions_reply_id_coach_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_suggestions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_suggestions")),
        sa.UniqueConstraint("reply_id", "position", name="uq_coach_suggestions_reply_id_position"),
    )
    op.create_index(
        op.f("ix_coach_suggestions_user_id"), "coach_suggestions", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_coach_suggestions_user_id"), table_name="coach_suggestions")
    op.drop_table("coach_suggestions")
