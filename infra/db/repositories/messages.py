"""Idempotency records of the consumers."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import ProcessedMessage


async def claim(session: AsyncSession, consumer: str, event_id: uuid.UUID) -> bool:
    """Record that ``consumer`` handles ``event_id``; False when it already did.

    Inside the effect's transaction: a concurrent duplicate waits on the key and then
    sees the conflict, so two deliveries never both take effect.
    """
    result = await session.execute(
        insert(ProcessedMessage)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(ProcessedMessage.event_id)
    )
    return result.scalar_one_or_none() is not None


async def was_processed(session: AsyncSession, consumer: str, event_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(ProcessedMessage.event_id).where(
            ProcessedMessage.consumer == consumer, ProcessedMessage.event_id == event_id
        )
    )
    return found is not None
