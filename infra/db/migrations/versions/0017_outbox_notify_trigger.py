"""the outbox wakes the relay itself

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 19:30:00.000000

A statement trigger sends the relay's NOTIFY with every insert into the outbox, in the
inserting transaction (Postgres delivers it at commit, once per transaction): writers no
longer spend a round trip of their own on it, and none can forget it. The payload is
the transaction's id, which says which commit a wake-up came from.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('recoloca_outbox', txid_current()::text);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER outbox_notify ON outbox")
    op.execute("DROP FUNCTION outbox_notify()")
