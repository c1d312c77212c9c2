"""The in-app notifications list, read marks, the user's choices and one-click
unsubscribe."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.services.errors import (
    InvalidUnsubscribeLinkError,
    NotFoundError,
    NotificationNotOptionalError,
    UnknownNotificationChoiceError,
    UsedUnsubscribeLinkError,
)
from infra import mail_links
from infra.db.models import Notification, User
from infra.db.repositories import notifications as repo
from infra.settings import Settings
from infra.signing import InvalidSignatureError
from schemas import notifications as cat


async def page(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[Notification], int, int]:
    rows = await repo.page(session, user_id, cat.IN_APP, limit=limit, offset=offset)
    total, unread = await repo.counts(session, user_id, cat.IN_APP)
    return rows, total, unread


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    row = await repo.mark_read(session, user_id, notification_id, datetime.now(UTC))
    if row is None or row.channel != cat.IN_APP:
        raise NotFoundError()
    await session.commit()
    return row


async def mark_all_read(session: AsyncSession, user_id: uuid.UUID) -> int:
    marked = await repo.mark_all_read(session, user_id, cat.IN_APP, datetime.now(UTC))
    await session.commit()
    return marked


def _all_choices(found: dict[tuple[str, str], bool]) -> list[tuple[cat.Category, str, bool]]:
    return [
        (category, channel, cat.enabled(category, channel, found))
        for category in cat.CATEGORIES.values()
        for channel in cat.CHANNELS
    ]


async def choices(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[cat.Category, str, bool]]:
    return _all_choices(await repo.choices(session, user_id))


async def set_choices(
    session: AsyncSession, user_id: uuid.UUID, wanted: Sequence[tuple[str, str, bool]]
) -> list[tuple[cat.Category, str, bool]]:
    for name, channel, on in wanted:
        category = cat.CATEGORIES.get(name)
        if category is None or channel not in cat.CHANNELS:
            raise UnknownNotificationChoiceError(f"{name}/{channel}")
        if not category.optional and not on:
            raise NotificationNotOptionalError(name)
    for name, channel, on in wanted:
        if cat.CATEGORIES[name].optional:
            await repo.set_choice(session, user_id, name, channel, on)
    await session.commit()
    return await choices(session, user_id)


async def check_unsubscribe(
    session: AsyncSession, settings: Settings, token: str
) -> tuple[User, cat.Category, mail_links.UnsubscribeLink]:
    """The user and category of a link that may still be used; 400 for one we did not
    make, 410 for one used already."""
    try:
        link = mail_links.read_unsubscribe(settings, token)
    except InvalidSignatureError as exc:
        raise InvalidUnsubscribeLinkError() from exc
    category = cat.CATEGORIES.get(link.category)
    user = await session.get(User, link.user_id)
    if category is None or not category.optional or user is None:
        raise InvalidUnsubscribeLinkError()
    if await repo.link_used(session, mail_links.UNSUBSCRIBE, link.nonce):
        raise UsedUnsubscribeLinkError()
    return user, category, link


async def unsubscribe(session: AsyncSession, settings: Settings, token: str) -> User:
    """Turn the link's category of email off for its user; the link works once."""
    user, category, link = await check_unsubscribe(session, settings, token)
    if not await repo.use_link(session, mail_links.UNSUBSCRIBE, link.nonce, user.id):
        raise UsedUnsubscribeLinkError()
    await repo.set_choice(session, user.id, category.name, cat.EMAIL, False)
    await session.commit()
    return user
