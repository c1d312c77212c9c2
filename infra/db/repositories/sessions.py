"""A user's sessions: refresh-token families, as the user sees and ends them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import RefreshToken


@dataclass(frozen=True, slots=True)
class FamilyRow:
    family_id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str | None
    ip: str | None


async def active_families(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> Sequence[FamilyRow]:
    """Families with a live head (an unused, unrevoked, unexpired token), newest use first;
    where and when is that of the latest token issued in the family."""
    head = (
        select(
            RefreshToken.family_id,
            RefreshToken.created_at.label("last_used_at"),
            RefreshToken.user_agent,
            RefreshToken.ip,
        )
        .where(
            RefreshToken.user_id == user_id,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .ext(distinct_on(RefreshToken.family_id))
        .order_by(RefreshToken.family_id, RefreshToken.created_at.desc())
        .subquery()
    )
    opened = (
        select(RefreshToken.family_id, func.min(RefreshToken.created_at).label("created_at"))
        .where(RefreshToken.user_id == user_id)
        .group_by(RefreshToken.family_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            head.c.family_id,
            opened.c.created_at,
            head.c.last_used_at,
            head.c.user_agent,
            head.c.ip,
        )
        .join(opened, opened.c.family_id == head.c.family_id)
        .order_by(head.c.last_used_at.desc())
    )
    return [FamilyRow(*row) for row in rows.all()]


async def revoke_user_family(
    session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID, at: datetime
) -> bool:
    """Revoke one of the user's families; False when the user has no live one of that id
    (another user's id looks exactly like an unknown one)."""
    revoked = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.user_id == user_id,
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=at)
        .returning(RefreshToken.id)
    )
    return bool(revoked.all())


async def revoke_all(session: AsyncSession, user_id: uuid.UUID, at: datetime) -> int:
    """Every family of the user; returns how many tokens were revoked."""
    revoked = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=at)
        .returning(RefreshToken.id)
    )
    return len(revoked.all())


async def user_agents(
    session: AsyncSession, user_id: uuid.UUID, limit: int = 200
) -> list[str | None]:
    """The distinct User-Agents of the user's sessions, most recently used first."""
    rows = await session.scalars(
        select(RefreshToken.user_agent)
        .where(RefreshToken.user_id == user_id)
        .group_by(RefreshToken.user_agent)
        .order_by(func.max(RefreshToken.created_at).desc())
        .limit(limit)
    )
    return list(rows)
