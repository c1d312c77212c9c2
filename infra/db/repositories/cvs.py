from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Analysis, Cv


async def add(session: AsyncSession, cv: Cv) -> None:
    session.add(cv)
    await session.flush()


async def for_user(
    session: AsyncSession, cv_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> Cv | None:
    query = select(Cv).where(Cv.id == cv_id, Cv.user_id == user_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def for_update(session: AsyncSession, cv_id: uuid.UUID) -> Cv | None:
    return await session.scalar(select(Cv).where(Cv.id == cv_id).with_for_update())


async def page_for_user(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[Cv], int]:
    total = await session.scalar(select(func.count()).select_from(Cv).where(Cv.user_id == user_id))
    rows = await session.scalars(
        select(Cv)
        .where(Cv.user_id == user_id)
        .order_by(Cv.created_at.desc(), Cv.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def stalled(
    session: AsyncSession, statuses: Sequence[str], updated_before: datetime, limit: int
) -> Sequence[Cv]:
    rows = await session.scalars(
        select(Cv)
        .where(Cv.status.in_(statuses), Cv.updated_at < updated_before)
        .order_by(Cv.updated_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return rows.all()


async def touch(session: AsyncSession, cv_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(update(Cv).where(Cv.id.in_(cv_ids)).values(updated_at=func.now()))


async def latest_analysis(session: AsyncSession, cv_id: uuid.UUID) -> Analysis | None:
    return await session.scalar(
        select(Analysis).where(Analysis.cv_id == cv_id).order_by(Analysis.version.desc()).limit(1)
    )


async def analysis_version(
    session: AsyncSession, cv_id: uuid.UUID, version: int
) -> Analysis | None:
    return await session.scalar(
        select(Analysis).where(Analysis.cv_id == cv_id, Analysis.version == version)
    )


async def analyses_of(session: AsyncSession, cv_id: uuid.UUID) -> list[Analysis]:
    """Every analysis version of a CV, oldest first."""
    rows = await session.scalars(
        select(Analysis).where(Analysis.cv_id == cv_id).order_by(Analysis.version)
    )
    return list(rows)


async def latest_analyses(
    session: AsyncSession, cv_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Analysis]:
    rows = await session.scalars(
        select(Analysis)
        .where(Analysis.cv_id.in_(cv_ids))
        .ext(distinct_on(Analysis.cv_id))
        .order_by(Analysis.cv_id, Analysis.version.desc())
    )
    return {row.cv_id: row for row in rows}


async def add_analysis(
    session: AsyncSession,
    *,
    cv_id: uuid.UUID,
    provider: str,
    rubric_version: str,
    score: int,
    body: dict[str, Any],
    body_sealed: bytes | None = None,
    analysis_id: uuid.UUID | None = None,
) -> Analysis:
    """Append the next version of the CV's analysis (the caller holds the CV row lock)."""
    current = await session.scalar(
        select(func.max(Analysis.version)).where(Analysis.cv_id == cv_id)
    )
    analysis = Analysis(
        id=analysis_id or uuid.uuid4(),
        cv_id=cv_id,
        version=(current or 0) + 1,
        provider=provider,
        rubric_version=rubric_version,
        score=score,
        body=body,
        body_sealed=body_sealed,
    )
    session.add(analysis)
    await session.flush()
    return analysis


async def count_parse_attempt(session: AsyncSession, cv_id: uuid.UUID) -> int:
    """One more parse started; the number of them so far (0 when the CV is gone)."""
    attempts = await session.scalar(
        update(Cv)
        .where(Cv.id == cv_id)
        .values(parse_attempts=Cv.parse_attempts + 1)
        .returning(Cv.parse_attempts)
    )
    return int(attempts or 0)


async def latest_scored(session: AsyncSession, user_id: uuid.UUID) -> Cv | None:
    """The user's most recent CV that has an analysis."""
    return await session.scalar(
        select(Cv)
        .where(Cv.user_id == user_id, Cv.status == "scored")
        .order_by(Cv.created_at.desc(), Cv.id.desc())
        .limit(1)
    )
