"""The audit trail: appended to, read in pages, never edited (a trigger enforces it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import AuditEntry


async def append(
    session: AsyncSession,
    *,
    action: str,
    outcome: str,
    actor_id: uuid.UUID | None,
    subject_id: uuid.UUID | None,
    ip: str | None,
    user_agent: str | None,
    request_id: str | None,
    detail: dict[str, Any],
) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        outcome=outcome,
        actor_id=actor_id,
        subject_id=subject_id,
        ip=ip,
        user_agent=user_agent,
        request_id=request_id,
        detail=detail,
    )
    session.add(entry)
    await session.flush()
    return entry


async def page(
    session: AsyncSession,
    *,
    before_id: int | None = None,
    limit: int = 50,
    involving: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Sequence[AuditEntry]:
    """Newest first; ``before_id`` is the cursor of the next page. ``involving`` matches
    entries where the user is the actor or the subject."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if involving is not None:
        query = query.where(
            or_(AuditEntry.actor_id == involving, AuditEntry.subject_id == involving)
        )
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    return (await session.scalars(query)).all()
