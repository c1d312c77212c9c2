from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import ApiKey, User


def _usable() -> tuple[ColumnElement[bool], ...]:
    # A key acts for its owner only while the owner may act at all.
    return (
        ApiKey.revoked_at.is_(None),
        User.disabled_at.is_(None),
        User.erasure_requested_at.is_(None),
    )


async def add(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    name: str,
    prefix: str,
    key_hash: bytes,
    scopes: list[str],
) -> ApiKey:
    key = ApiKey(
        id=uuid.uuid4(), user_id=user_id, name=name, prefix=prefix, key_hash=key_hash, scopes=scopes
    )
    session.add(key)
    await session.flush()
    await session.refresh(key)
    return key


async def active_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[ApiKey]:
    rows = await session.scalars(
        select(ApiKey)
        .where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.created_at, ApiKey.id)
    )
    return list(rows)


async def revoke(session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
    """Revoke one of the user's own keys; None when it is not theirs or already revoked."""
    key = await session.scalar(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .returning(ApiKey)
    )
    return key


async def live_by_prefix(session: AsyncSession, prefix: str) -> tuple[ApiKey, str] | None:
    """The unrevoked key with ``prefix`` and its owner's role, when the owner may still
    act (enabled, not being erased)."""
    row = (
        await session.execute(
            select(ApiKey, User.role)
            .join(User, User.id == ApiKey.user_id)
            .where(ApiKey.prefix == prefix, *_usable())
        )
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def is_live(session: AsyncSession, key_id: uuid.UUID) -> bool:
    query = (
        select(ApiKey.id)
        .join(User, User.id == ApiKey.user_id)
        .where(ApiKey.id == key_id, *_usable())
    )
    return await session.scalar(query) is not None


async def touch(session: AsyncSession, key_id: uuid.UUID, at: datetime, every: timedelta) -> None:
    """Record a use, at most once per ``every``: a busy integration writes rarely."""
    await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            (ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < at - every),
        )
        .values(last_used_at=at)
    )
