"""Coach sessions, their messages and the ratings of replies."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import CoachFeedback, CoachMessage, CoachSession, CoachSuggestion


async def add_session(session: AsyncSession, coach_session: CoachSession) -> CoachSession:
    session.add(coach_session)
    await session.flush()
    return coach_session


async def session_for_user(
    session: AsyncSession, session_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> CoachSession | None:
    query = select(CoachSession).where(
        CoachSession.id == session_id, CoachSession.user_id == user_id
    )
    return await session.scalar(query.with_for_update() if lock else query)


async def hold_session(session: AsyncSession, session_id: uuid.UUID) -> bool:
    """Keep the session from being deleted until the transaction ends (FOR KEY SHARE);
    False when it is gone.

    Taken before any of its messages is locked: a delete locks the session, then its
    messages (the cascade), so taking them the other way round deadlocks with it.
    """
    found = await session.scalar(
        select(CoachSession.id)
        .where(CoachSession.id == session_id)
        .with_for_update(read=True, key_share=True)
    )
    return found is not None


async def session_by_id(session: AsyncSession, session_id: uuid.UUID) -> CoachSession | None:
    return await session.get(CoachSession, session_id)


async def sessions_page(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[CoachSession], int]:
    total = await session.scalar(
        select(func.count()).select_from(CoachSession).where(CoachSession.user_id == user_id)
    )
    rows = await session.scalars(
        select(CoachSession)
        .where(CoachSession.user_id == user_id)
        .order_by(CoachSession.created_at.desc(), CoachSession.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def delete_session(session: AsyncSession, session_id: uuid.UUID) -> None:
    await session.execute(delete(CoachSession).where(CoachSession.id == session_id))


async def next_seq(session: AsyncSession, session_id: uuid.UUID) -> int:
    """The next turn of the session (the caller holds the session row lock)."""
    current = await session.scalar(
        select(func.max(CoachMessage.seq)).where(CoachMessage.session_id == session_id)
    )
    return int(current or 0) + 1


async def add_message(session: AsyncSession, message: CoachMessage) -> CoachMessage:
    session.add(message)
    await session.flush()
    return message


async def message_in_session(
    session: AsyncSession, session_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False
) -> CoachMessage | None:
    query = select(CoachMessage).where(
        CoachMessage.id == message_id, CoachMessage.session_id == session_id
    )
    return await session.scalar(query.with_for_update() if lock else query)


async def message_by_id(
    session: AsyncSession, message_id: uuid.UUID, *, lock: bool = False
) -> CoachMessage | None:
    query = select(CoachMessage).where(CoachMessage.id == message_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def reply_to(
    session: AsyncSession, message_id: uuid.UUID, *, lock: bool = False
) -> CoachMessage | None:
    query = select(CoachMessage).where(CoachMessage.reply_to == message_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def messages_page(
    session: AsyncSession, session_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[CoachMessage], int]:
    """Oldest first: a conversation reads top to bottom."""
    total = await session.scalar(
        select(func.count()).select_from(CoachMessage).where(CoachMessage.session_id == session_id)
    )
    rows = await session.scalars(
        select(CoachMessage)
        .where(CoachMessage.session_id == session_id)
        .order_by(CoachMessage.seq, CoachMessage.role.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def recent_messages(
    session: AsyncSession, session_id: uuid.UUID, *, before_seq: int, limit: int
) -> list[CoachMessage]:
    """The last ``limit`` turns before ``before_seq``, oldest first."""
    rows = await session.scalars(
        select(CoachMessage)
        .where(CoachMessage.session_id == session_id, CoachMessage.seq < before_seq)
        .order_by(CoachMessage.seq.desc(), CoachMessage.role)
        .limit(limit)
    )
    return list(reversed(rows.all()))


async def earlier_user_messages(
    session: AsyncSession, session_id: uuid.UUID, *, before_seq: int, limit: int
) -> list[CoachMessage]:
    """The user's messages before turn ``before_seq``, oldest first (at most ``limit``)."""
    rows = await session.scalars(
        select(CoachMessage)
        .where(
            CoachMessage.session_id == session_id,
            CoachMessage.seq < before_seq,
            CoachMessage.role == "user",
        )
        .order_by(CoachMessage.seq)
        .limit(limit)
    )
    return list(rows.all())


async def take_lease(
    session: AsyncSession, reply: CoachMessage, owner: uuid.UUID, now: datetime, seconds: float
) -> None:
    reply.lease_owner = owner
    reply.lease_expires_at = now + timedelta(seconds=seconds)
    await session.flush()


async def renew_lease(
    session: AsyncSession, reply_id: uuid.UUID, owner: uuid.UUID, until: datetime
) -> bool:
    """Extend the lease while the owner still holds it; False when it was taken over."""
    result = await session.execute(
        update(CoachMessage)
        .where(CoachMessage.id == reply_id, CoachMessage.lease_owner == owner)
        .values(lease_expires_at=until)
        .returning(CoachMessage.id)
    )
    return result.scalar_one_or_none() is not None


async def cancel_requested(session: AsyncSession, message_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(CoachMessage.cancel_requested_at).where(CoachMessage.id == message_id)
    )
    return found is not None


async def set_feedback(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    user_id: uuid.UUID,
    rating: str,
    comment_sealed: bytes | None,
) -> None:
    statement = insert(CoachFeedback).values(
        message_id=message_id, user_id=user_id, rating=rating, comment_sealed=comment_sealed
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CoachFeedback.message_id],
            set_={"rating": rating, "comment_sealed": comment_sealed, "created_at": func.now()},
        )
    )


async def feedback_of(session: AsyncSession, message_id: uuid.UUID) -> CoachFeedback | None:
    return await session.get(CoachFeedback, message_id)


async def ratings_of(
    session: AsyncSession, message_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(CoachFeedback.message_id, CoachFeedback.rating).where(
            CoachFeedback.message_id.in_(message_ids)
        )
    )
    return {message_id: rating for message_id, rating in rows.all()}


async def add_suggestions(session: AsyncSession, rows: Sequence[CoachSuggestion]) -> None:
    """A reply's proposed CV changes (once: a second write of the same ones is ignored)."""
    for row in rows:
        if await session.get(CoachSuggestion, row.id) is None:
            session.add(row)
    await session.flush()


async def suggestions_of(session: AsyncSession, reply_id: uuid.UUID) -> list[CoachSuggestion]:
    rows = await session.scalars(
        select(CoachSuggestion)
        .where(CoachSuggestion.reply_id == reply_id)
        .order_by(CoachSuggestion.position)
    )
    return list(rows.all())


async def suggestion_of_reply(
    session: AsyncSession, reply_id: uuid.UUID, suggestion_id: uuid.UUID, *, lock: bool = False
) -> CoachSuggestion | None:
    query = select(CoachSuggestion).where(
        CoachSuggestion.id == suggestion_id, CoachSuggestion.reply_id == reply_id
    )
    return await session.scalar(query.with_for_update() if lock else query)


# -- data-subject rights ---------------------------------------------------------------


async def user_coach_history(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[CoachSession, list[CoachMessage], dict[uuid.UUID, CoachFeedback]]]:
    """Every session of the user with its messages (in order) and ratings, for the export."""
    sessions = (
        await session.scalars(
            select(CoachSession)
            .where(CoachSession.user_id == user_id)
            .order_by(CoachSession.created_at, CoachSession.id)
        )
    ).all()
    messages = (
        await session.scalars(
            select(CoachMessage)
            .where(CoachMessage.user_id == user_id)
            .order_by(CoachMessage.session_id, CoachMessage.seq, CoachMessage.role.desc())
        )
    ).all()
    ratings = {
        f.message_id: f
        for f in (
            await session.scalars(select(CoachFeedback).where(CoachFeedback.user_id == user_id))
        ).all()
    }
    by_session: dict[uuid.UUID, list[CoachMessage]] = {}
    for message in messages:
        by_session.setdefault(message.session_id, []).append(message)
    return [(s, by_session.get(s.id, []), ratings) for s in sessions]


async def user_suggestions(
    session: AsyncSession, user_id: uuid.UUID
) -> dict[uuid.UUID, list[CoachSuggestion]]:
    """Every CV change proposed to the user, by reply, in order (for the export)."""
    rows = await session.scalars(
        select(CoachSuggestion)
        .where(CoachSuggestion.user_id == user_id)
        .order_by(CoachSuggestion.reply_id, CoachSuggestion.position)
    )
    by_reply: dict[uuid.UUID, list[CoachSuggestion]] = {}
    for row in rows.all():
        by_reply.setdefault(row.reply_id, []).append(row)
    return by_reply


async def delete_user_coach_data(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Every coach row of the user (erasure); feedback and messages before sessions."""
    await session.execute(delete(CoachFeedback).where(CoachFeedback.user_id == user_id))
    await session.execute(delete(CoachSuggestion).where(CoachSuggestion.user_id == user_id))
    await session.execute(delete(CoachMessage).where(CoachMessage.user_id == user_id))
    await session.execute(delete(CoachSession).where(CoachSession.user_id == user_id))
