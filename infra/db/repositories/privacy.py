"""Exports and erasures, and the deletions an erasure makes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, delete, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from infra.db.models import (
    Analysis,
    ApiKey,
    AuditEntry,
    Cv,
    Erasure,
    ErasurePart,
    Export,
    OutboxMessage,
    RefreshToken,
    User,
    UserEvent,
)
from schemas.privacy import ExportStatus


async def add_export(session: AsyncSession, export: Export) -> None:
    session.add(export)
    await session.flush()


async def export_for_user(
    session: AsyncSession, export_id: uuid.UUID, user_id: uuid.UUID
) -> Export | None:
    return await session.scalar(
        select(Export).where(Export.id == export_id, Export.user_id == user_id)
    )


async def export_for_update(session: AsyncSession, export_id: uuid.UUID) -> Export | None:
    return await session.scalar(select(Export).where(Export.id == export_id).with_for_update())


async def expired_exports(session: AsyncSession, now: datetime, limit: int) -> Sequence[Export]:
    """Ready exports past their expiry, locked; others sweeping at once skip them."""
    return (
        await session.scalars(
            select(Export)
            .where(Export.status == ExportStatus.READY, Export.expires_at <= now)
            .order_by(Export.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()


async def exports_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Export]:
    return (await session.scalars(select(Export).where(Export.user_id == user_id))).all()


async def add_erasure(session: AsyncSession, erasure: Erasure) -> None:
    session.add(erasure)
    await session.flush()


async def open_erasure_of(session: AsyncSession, user_id: uuid.UUID) -> Erasure | None:
    return await session.scalar(
        select(Erasure).where(Erasure.user_id == user_id, Erasure.completed_at.is_(None))
    )


async def erasure(
    session: AsyncSession, erasure_id: uuid.UUID, *, lock: bool = False
) -> Erasure | None:
    query = select(Erasure).where(Erasure.id == erasure_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def parts_done(session: AsyncSession, erasure_id: uuid.UUID) -> set[str]:
    rows = await session.scalars(
        select(ErasurePart.part).where(ErasurePart.erasure_id == erasure_id)
    )
    return set(rows)


async def confirm_part(session: AsyncSession, erasure_id: uuid.UUID, part: str) -> None:
    await session.execute(
        insert(ErasurePart).values(erasure_id=erasure_id, part=part).on_conflict_do_nothing()
    )


async def cv_storage_keys(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return list(await session.scalars(select(Cv.storage_key).where(Cv.user_id == user_id)))


async def delete_cvs(session: AsyncSession, user_id: uuid.UUID) -> None:
    # Analyses go with their CVs (ON DELETE CASCADE).
    await session.execute(delete(Cv).where(Cv.user_id == user_id))


async def delete_exports(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(Export).where(Export.user_id == user_id))


async def delete_user_events(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(UserEvent).where(UserEvent.user_id == user_id))


async def delete_outbox_of(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Messages about the user not yet relayed: their consumers would find nothing anyway."""
    await session.execute(
        delete(OutboxMessage).where(OutboxMessage.headers["user_id"].astext == str(user_id))
    )


async def mark_erasure_requested(session: AsyncSession, user_id: uuid.UUID, at: datetime) -> None:
    await session.execute(update(User).where(User.id == user_id).values(erasure_requested_at=at))


async def pseudonymise_audit(
    session: AsyncSession, user_id: uuid.UUID, pseudonym: uuid.UUID
) -> None:
    """Replace the user's id in the trail with its pseudonym and drop where they were.
    The only UPDATE the append-only trigger lets through, and only in this transaction."""
    await session.execute(text("SET LOCAL recoloca.audit_pseudonymise = 'on'"))
    involving = or_(AuditEntry.actor_id == user_id, AuditEntry.subject_id == user_id)
    await session.execute(
        update(AuditEntry)
        .where(involving)
        .values(
            actor_id=_swap(AuditEntry.actor_id, user_id, pseudonym),
            subject_id=_swap(AuditEntry.subject_id, user_id, pseudonym),
            ip=None,
            user_agent=None,
        )
    )


def _swap(
    column: InstrumentedAttribute[uuid.UUID | None], user_id: uuid.UUID, pseudonym: uuid.UUID
) -> ColumnElement[uuid.UUID | None]:
    return case((column == user_id, pseudonym), else_=column)


async def delete_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    # Refresh tokens, keys and anything left that references the user go with it (CASCADE).
    await session.execute(delete(User).where(User.id == user_id))


def complete(erasure: Erasure, at: datetime) -> None:
    erasure.completed_at = at
    erasure.user_id = None


# What an export reads: everything held about one user.


async def cvs_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Cv]:
    return (
        await session.scalars(select(Cv).where(Cv.user_id == user_id).order_by(Cv.created_at))
    ).all()


async def analyses_of(session: AsyncSession, cv_ids: Sequence[uuid.UUID]) -> Sequence[Analysis]:
    return (
        await session.scalars(
            select(Analysis)
            .where(Analysis.cv_id.in_(cv_ids))
            .order_by(Analysis.cv_id, Analysis.version)
        )
    ).all()


async def user_events_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[UserEvent]:
    return (
        await session.scalars(
            select(UserEvent).where(UserEvent.user_id == user_id).order_by(UserEvent.id)
        )
    ).all()


async def api_keys_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[ApiKey]:
    return (
        await session.scalars(
            select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at)
        )
    ).all()


async def refresh_tokens_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[RefreshToken]:
    return (
        await session.scalars(
            select(RefreshToken)
            .where(RefreshToken.user_id == user_id)
            .order_by(RefreshToken.created_at)
        )
    ).all()


async def audit_of(session: AsyncSession, user_id: uuid.UUID) -> Sequence[AuditEntry]:
    involving = or_(AuditEntry.actor_id == user_id, AuditEntry.subject_id == user_id)
    return (
        await session.scalars(select(AuditEntry).where(involving).order_by(AuditEntry.id))
    ).all()
