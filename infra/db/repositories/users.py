from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import RefreshToken, User


class EmailTakenError(Exception):
    pass


async def create(
    session: AsyncSession, *, email: str, password_hash: str, locale: str = "pt-BR"
) -> User:
    user = User(id=uuid.uuid4(), email=email, password_hash=password_hash, locale=locale)
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise EmailTakenError() from exc
    return user


async def by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email))


async def by_id(session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> User | None:
    return await session.get(User, user_id, with_for_update=lock)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def page(
    session: AsyncSession,
    *,
    email_contains: str | None = None,
    role: str | None = None,
    disabled: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[User], int]:
    """Users newest first, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if email_contains:
        pattern = f"%{_escape_like(email_contains.lower())}%"
        conditions.append(User.email.like(pattern, escape="\\"))
    if role is not None:
        conditions.append(User.role == role)
    if disabled is not None:
        conditions.append(User.disabled_at.is_not(None) if disabled else User.disabled_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    rows = await session.scalars(
        select(User)
        .where(*conditions)
        .order_by(User.created_at.desc(), User.id)
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), total or 0


async def lock_active_admins(session: AsyncSession) -> list[uuid.UUID]:
    """Ids of the admins who can still sign in, locked for the rest of the transaction:
    two admins demoting each other at once are then serialised, and one of them stays."""
    rows = await session.scalars(
        select(User.id)
        .where(
            User.role == "admin",
            User.disabled_at.is_(None),
            User.erasure_requested_at.is_(None),
        )
        .order_by(User.id)
        .with_for_update()
    )
    return list(rows.all())


async def add_refresh_token(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    expires_at: datetime,
    user_agent: str | None = None,
    ip: str | None = None,
) -> RefreshToken:
    token = RefreshToken(
        id=uuid.uuid4(),
        user_id=user_id,
        family_id=family_id,
        expires_at=expires_at,
        user_agent=user_agent,
        ip=ip,
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


async def live_role(
    session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID | None
) -> str | None:
    """The user's role when the user exists, is neither disabled nor being erased and
    (when given) the token family was not revoked; else None. One query."""
    query = select(User.role).where(
        User.id == user_id, User.disabled_at.is_(None), User.erasure_requested_at.is_(None)
    )
    if family_id is not None:
        revoked = exists().where(
            RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_not(None)
        )
        query = query.where(~revoked)
    role: str | None = await session.scalar(query)
    return role


async def hold_unless_erasing(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Share-lock the user's row for the rest of the transaction; False when the user is
    gone or asked to be erased. A worker saving results about the user calls it first: the
    erasure request (which updates the row) then waits for the save, or the save sees it.

    The whole row is loaded (as it is now): a later ``session.get(User, ...)`` in the same
    transaction, which most callers make, is then answered without a round trip."""
    user = await session.scalar(
        select(User)
        .where(User.id == user_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    return user is not None and user.erasure_requested_at is None


async def erasure_requested(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """The user is gone or asked to be erased (no lock: a quick check before slow work)."""
    marker = await session.execute(select(User.erasure_requested_at).where(User.id == user_id))
    row = marker.one_or_none()
    return row is None or row[0] is not None
