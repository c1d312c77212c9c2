"""The durable per-user event log behind SSE."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import UserEvent

# The key space of these advisory locks (the two-key form: apart from billing's one-key).
_LOG_LOCK = 0x5E5E


async def add(
    session: AsyncSession, *, user_id: uuid.UUID, type: str, data: dict[str, Any]
) -> UserEvent:
    """Append an event to the user's log in the caller's transaction.

    A stream reads the log after the last id it sent, so one user's ids must become
    visible in order: an id taken by a transaction that commits after a later id's would
    never be sent. The user's lock, held until commit, makes the next id wait for it."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:space, hashtext(:user_id))"),
        {"space": _LOG_LOCK, "user_id": str(user_id)},
    )
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
