from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import OutboxMessage

# Sent by the outbox's insert trigger (migration 0017), at the commit of the insert.
NOTIFY_CHANNEL = "recoloca_outbox"


@dataclass(frozen=True)
class Staged:
    topic: str
    key: str | None
    headers: dict[str, Any]
    payload: dict[str, Any]


async def add(session: AsyncSession, messages: Sequence[Staged]) -> None:
    """Insert ``messages`` in one statement, after what the session has pending (its
    autoflush): the outbox keeps the order of the changes that caused them."""
    if messages:
        await session.execute(
            insert(OutboxMessage),
            [
                {"topic": m.topic, "key": m.key, "headers": m.headers, "payload": m.payload}
                for m in messages
            ],
        )


@dataclass(frozen=True)
class Outgoing:
    id: int
    topic: str
    key: str | None
    headers: dict[str, Any]
    payload: dict[str, Any]


async def take_batch(session: AsyncSession, limit: int) -> list[Outgoing]:
    """Delete and return the oldest unpublished messages, in order, in one statement.

    The caller publishes them before it commits: a failure rolls the delete back, and
    the rows (locked meanwhile, so another relay skips them) wait for the next try.
    """
    oldest = (
        select(OutboxMessage.id)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    result = await session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.id.in_(oldest))
        .returning(
            OutboxMessage.id,
            OutboxMessage.topic,
            OutboxMessage.key,
            OutboxMessage.headers,
            OutboxMessage.payload,
        )
    )
    # RETURNING keeps no order: per-key order is the ids'.
    return sorted((Outgoing(*row) for row in result), key=lambda row: row.id)


async def backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many messages wait, and since when the oldest one."""
    row = (await session.execute(select(func.count(), func.min(OutboxMessage.created_at)))).one()
    return int(row[0]), row[1]


async def pending_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    result = await session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)).distinct()
    )
    return {key for key in result if key is not None}
