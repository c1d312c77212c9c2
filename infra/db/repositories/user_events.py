"""The durable per-user event log behind SSE."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import UserEvent


async def add(
    session: AsyncSession, *, user_id: uuid.UUID, type: str, data: dict[str, Any]
) -> UserEvent:
    event = UserEvent(user_id=user_id, type=type, data=data)
    session.add(event)
    await session.flush()
    return event


async def after(
    session: AsyncSession, user_id: uuid.UUID, after_id: int, limit: int = 100
) -> Sequence[UserEvent]:
    rows = await session.scalars(
        select(UserEvent)
        .where(UserEvent.user_id == user_id, UserEvent.id > after_id)
        .order_by(UserEvent.id)
        .limit(limit)
    )
    return rows.all()


async def last_id(session: AsyncSession, user_id: uuid.UUID) -> int:
    found = await session.scalar(select(func.max(UserEvent.id)).where(UserEvent.user_id == user_id))
    return int(found or 0)
