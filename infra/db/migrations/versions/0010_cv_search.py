"""cv search

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-02 02:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cv_search",
        sa.Column("cv_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("analysis_version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.TSVECTOR(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cv_id"], ["cvs.id"], name=op.f("fk_cv_search_cv_id_cvs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cv_search_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cv_id", name=op.f("pk_cv_search")),
    )
    op.create_index(
        "ix_cv_search_document", "cv_search", ["document"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_cv_search_user_id"), "cv_search", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cv_search_user_id"), table_name="cv_search")
    op.drop_index("ix_cv_search_document", table_name="cv_search", postgresql_using="gin")
    op.drop_table("cv_search")
