"""dead letter redrives

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 06:27:10.954413
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letter_redrives",
        sa.Column("dlq_topic", sa.String(length=255), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column(
            "redriven_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint(
            "dlq_topic", "partition", "offset", name=op.f("pk_dead_letter_redrives")
        ),
    )


def downgrade() -> None:
    op.drop_table("dead_letter_redrives")
