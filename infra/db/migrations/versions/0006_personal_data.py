"""personal data: data keys, sealed columns, exports, erasures

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-02 02:00:00.000000

Rows written before this revision stay as they are (plaintext): the migration has no key
to encrypt them with, and every reader accepts both forms.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column[datetime]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("erasure_requested_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("cvs", sa.Column("filename_sealed", sa.LargeBinary(), nullable=True))
    op.add_column("cvs", sa.Column("job_description_sealed", sa.LargeBinary(), nullable=True))
    op.add_column("cvs", sa.Column("parsed_sealed", sa.LargeBinary(), nullable=True))
    op.add_column("analyses", sa.Column("body_sealed", sa.LargeBinary(), nullable=True))
    op.create_table(
        "user_keys",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("master_key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        _created_at(),
        sa.Column("rewrapped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_keys")),
    )
    op.create_index(op.f("ix_user_keys_master_key_id"), "user_keys", ["master_key_id"])
    op.create_table(
        "exports",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        _created_at(),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
    )
    op.create_index("ix_exports_user_id_created_at", "exports", ["user_id", "created_at"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("subject_pseudonym", sa.UUID(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_user_id"), "erasures", ["user_id"])
    op.create_table(
        "erasure_parts",
        sa.Column("erasure_id", sa.UUID(), nullable=False),
        sa.Column("part", sa.String(length=64), nullable=False),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["erasure_id"],
            ["erasures.id"],
            name=op.f("fk_erasure_parts_erasure_id_erasures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("erasure_id", "part", name=op.f("pk_erasure_parts")),
    )


def downgrade() -> None:
    op.drop_table("erasure_parts")
    op.drop_index(op.f("ix_erasures_user_id"), table_name="erasures")
    op.drop_table("erasures")
    op.drop_index("ix_exports_user_id_created_at", table_name="exports")
    op.drop_table("exports")
    op.drop_index(op.f("ix_user_keys_master_key_id"), table_name="user_keys")
    op.drop_table("user_keys")
    op.drop_column("analyses", "body_sealed")
    op.drop_column("cvs", "parsed_sealed")
    op.drop_column("cvs", "job_description_sealed")
    op.drop_column("cvs", "filename_sealed")
    op.drop_column("users", "erasure_requested_at")
