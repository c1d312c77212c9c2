"""Recording what a user should see live: one row in the durable log, then a wake-up."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.repositories import user_events as user_events_repo


async def record(
    session: AsyncSession, user_id: uuid.UUID, type: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Append to the user's event log inside the caller's transaction; returns what to
    publish as a wake-up once the transaction is committed."""
    row = await user_events_repo.add(session, user_id=user_id, type=type, data=data)
    return {"id": row.id, "type": type}
