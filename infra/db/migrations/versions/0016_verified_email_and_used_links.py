"""verified e-mail addresses; single-use mail links

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True)))
    op.create_table(
        "used_links",
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column(
            "used_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_used_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("purpose", "nonce", name=op.f("pk_used_links")),
    )
    op.create_index(op.f("ix_used_links_user_id"), "used_links", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_used_links_user_id"), table_name="used_links")
    op.drop_table("used_links")
    op.drop_column("users", "email_verified_at")
