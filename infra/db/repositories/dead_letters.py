from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import DeadLetterRedrive


async def claim(
    session: AsyncSession, dlq_topic: str, partition: int, offset: int, event_id: str | None
) -> bool:
    """Record a redrive; False when this dead letter was redriven before."""
    result = await session.execute(
        insert(DeadLetterRedrive)
        .values(dlq_topic=dlq_topic, partition=partition, offset=offset, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(DeadLetterRedrive.offset)
    )
    return result.scalar_one_or_none() is not None


async def redriven(session: AsyncSession, dlq_topic: str) -> set[tuple[int, int]]:
    rows = await session.execute(
        select(DeadLetterRedrive.partition, DeadLetterRedrive.offset).where(
            DeadLetterRedrive.dlq_topic == dlq_topic
        )
    )
    return {(partition, offset) for partition, offset in rows}


async def forget(
    session: AsyncSession, dlq_topic: str, positions: Iterable[tuple[int, int]]
) -> None:
    for partition, offset in positions:
        row = await session.get(DeadLetterRedrive, (dlq_topic, partition, offset))
        if row is not None:
            await session.delete(row)
