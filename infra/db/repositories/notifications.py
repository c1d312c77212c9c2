"""Notifications and the users' choices about them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Notification, NotificationPreference, UsedLink


async def add_once(session: AsyncSession, **values: Any) -> uuid.UUID | None:
    """Insert the notification unless its (event, channel, template) exists; the new id,
    or None when another delivery of the event got there first."""
    statement = (
        insert(Notification)
        .values(id=uuid.uuid4(), **values)
        .on_conflict_do_nothing(constraint="uq_notifications_event_id_channel_template")
        .returning(Notification.id)
    )
    found: uuid.UUID | None = await session.scalar(statement)
    return found


async def of_event(
    session: AsyncSession, event_id: uuid.UUID, channel: str, template: str, *, lock: bool = False
) -> Notification | None:
    query = select(Notification).where(
        Notification.event_id == event_id,
        Notification.channel == channel,
        Notification.template == template,
    )
    if lock:
        query = query.with_for_update()
    row: Notification | None = await session.scalar(query)
    return row


async def choices(session: AsyncSession, user_id: uuid.UUID) -> dict[tuple[str, str], bool]:
    rows = await session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )
    return {(row.category, row.channel): row.enabled for row in rows}


async def set_choice(
    session: AsyncSession, user_id: uuid.UUID, category: str, channel: str, enabled: bool
) -> None:
    statement = insert(NotificationPreference).values(
        user_id=user_id, category=category, channel=channel, enabled=enabled
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "category", "channel"],
            set_={"enabled": enabled, "updated_at": func.now()},
        )
    )


async def page(
    session: AsyncSession, user_id: uuid.UUID, channel: str, *, limit: int, offset: int
) -> Sequence[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.channel == channel)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(limit)
        .offset(offset)
    )
    return rows.all()


async def counts(session: AsyncSession, user_id: uuid.UUID, channel: str) -> tuple[int, int]:
    """(total, unread) of the user's notifications on ``channel``."""
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Notification.read_at.is_(None)),
            ).where(Notification.user_id == user_id, Notification.channel == channel)
        )
    ).one()
    return int(row[0]), int(row[1])


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID, at: datetime
) -> Notification | None:
    row = await session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if row is not None and row.read_at is None:
        row.read_at = at
        await session.flush()
    return row


async def mark_all_read(
    session: AsyncSession, user_id: uuid.UUID, channel: str, at: datetime
) -> int:
    result = await session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.channel == channel,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def of_user(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at, Notification.id)
    )
    return rows.all()


async def delete_of_user(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(delete(Notification).where(Notification.user_id == user_id))
    await session.execute(
        delete(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )
    await session.execute(delete(UsedLink).where(UsedLink.user_id == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def recent(session: AsyncSession, channel: str, limit: int) -> Sequence[Notification]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.channel == channel)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(limit)
    )
    return rows.all()


async def hard_bounced(session: AsyncSession, user_id: uuid.UUID, channel: str) -> bool:
    """Whether the server refused the user's address for good (a 55x reply) before."""
    found = await session.scalar(
        select(Notification.id)
        .where(
            Notification.user_id == user_id,
            Notification.channel == channel,
            Notification.status == "failed",
            Notification.smtp_reply.like("55%"),
        )
        .limit(1)
    )
    return found is not None


async def use_link(session: AsyncSession, purpose: str, nonce: str, user_id: uuid.UUID) -> bool:
    """Mark a single-use link used; False when it had been used already."""
    statement = (
        insert(UsedLink)
        .values(purpose=purpose, nonce=nonce, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(UsedLink.nonce)
    )
    return await session.scalar(statement) is not None


async def link_used(session: AsyncSession, purpose: str, nonce: str) -> bool:
    return await session.get(UsedLink, (purpose, nonce)) is not None


async def recent_for_session(
    session: AsyncSession,
    user_id: uuid.UUID,
    template: str,
    coach_session_id: str,
    since: datetime,
) -> bool:
    """Whether the user was told of this coach session with ``template`` since ``since``."""
    found = await session.scalar(
        select(Notification.id)
        .where(
            Notification.user_id == user_id,
            Notification.template == template,
            Notification.data["session_id"].astext == coach_session_id,
            Notification.created_at >= since,
        )
        .limit(1)
    )
    return found is not None
