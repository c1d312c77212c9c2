"""Rows a warm-up rehearses with, inside a transaction that is rolled back."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Cv, User
from schemas.cv import CvStatus
from schemas.files import FileKind


async def rehearsal_cv(session: AsyncSession) -> Cv:
    """A user and a queued CV of theirs, flushed into ``session``'s transaction (see
    ``Database.rehearsal``, which never commits it)."""
    user = User(
        id=uuid.uuid4(),
        email=f"rehearsal-{uuid.uuid4().hex}@recoloca.invalid",
        password_hash="!",
    )
    cv_id = uuid.uuid4()
    cv = Cv(
        id=cv_id,
        user_id=user.id,
        filename="",
        storage_key=f"cvs/{user.id}/{cv_id}/original.pdf",
        file_kind=FileKind.PDF,
        size_bytes=1,
        correlation_id=uuid.uuid4().hex,
        status=CvStatus.QUEUED,
    )
    session.add(user)
    await session.flush()
    session.add(cv)
    await session.flush()
    return cv
