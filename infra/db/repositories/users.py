from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import RefreshToken, User


class EmailTakenError(Exception):
    pass


async def create(session: AsyncSession, *, email: str, password_hash: str) -> User:
    user = User(id=uuid.uuid4(), email=email, password_hash=password_hash)
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise EmailTakenError() from exc
    return user


async def by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email))


async def by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def add_refresh_token(
    session: AsyncSession, *, user_id: uuid.UUID, family_id: uuid.UUID, expires_at: datetime
) -> RefreshToken:
    token = RefreshToken(
        id=uuid.uuid4(), user_id=user_id, family_id=family_id, expires_at=expires_at
    )
    session.add(token)
    await session.flush()
    return token


async def refresh_token_for_update(
    session: AsyncSession, token_id: uuid.UUID
) -> RefreshToken | None:
    return await session.scalar(
        select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
    )


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, at: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )


async def session_is_live(
    session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID | None
) -> bool:
    """The user exists, is not disabled and (when given) the token family was not
    revoked: one query."""
    user = exists().where(User.id == user_id, User.disabled_at.is_(None))
    if family_id is None:
        return bool(await session.scalar(select(user)))
    revoked = exists().where(
        RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_not(None)
    )
    return bool(await session.scalar(select(user & ~revoked)))
