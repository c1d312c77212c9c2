"""Wrapped data keys, one per user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import UserKey


async def get(session: AsyncSession, user_id: uuid.UUID) -> UserKey | None:
    return await session.scalar(select(UserKey).where(UserKey.user_id == user_id))


async def add_if_missing(
    session: AsyncSession, user_id: uuid.UUID, master_key_id: str, wrapped: bytes
) -> UserKey:
    """Store the key unless the user has one already (a concurrent first upload); return
    the one that is stored."""
    await session.execute(
        insert(UserKey)
        .values(user_id=user_id, master_key_id=master_key_id, wrapped=wrapped)
        .on_conflict_do_nothing()
    )
    stored = await session.scalar(
        select(UserKey).where(UserKey.user_id == user_id).execution_options(populate_existing=True)
    )
    assert stored is not None
    return stored


async def destroy(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(UserKey).where(UserKey.user_id == user_id))


async def not_wrapped_by(
    session: AsyncSession, master_key_id: str, limit: int
) -> Sequence[UserKey]:
    """A batch of keys still wrapped by another master key, locked for re-wrapping."""
    rows = await session.scalars(
        select(UserKey)
        .where(UserKey.master_key_id != master_key_id)
        .order_by(UserKey.user_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return rows.all()


def rewrapped(key: UserKey, master_key_id: str, wrapped: bytes) -> None:
    key.master_key_id = master_key_id
    key.wrapped = wrapped
    key.rewrapped_at = datetime.now(UTC)


async def count_by_master_key(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(UserKey.master_key_id, func.count()).group_by(UserKey.master_key_id)
    )
    return {key_id: int(count) for key_id, count in rows.all()}
