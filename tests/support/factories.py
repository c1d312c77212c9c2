"""Rows written straight to the database, for tests that bypass the API on purpose."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Cv
from schemas.cv import CvStatus


def make_parsed_cv(
    session: AsyncSession, user_id: uuid.UUID, parsed: dict[str, Any], **overrides: Any
) -> Cv:
    """A CV already parsed, with no command on the bus: only the test itself scores it."""
    cv_id = overrides.pop("id", None) or uuid.uuid4()
    values: dict[str, Any] = {
        "id": cv_id,
        "user_id": user_id,
        "filename": "cv.txt",
        "storage_key": f"cvs/{user_id}/{cv_id}/original.txt",
        "file_kind": "txt",
        "size_bytes": 1,
        "correlation_id": "test",
        "status": CvStatus.PARSED,
        "parsed": parsed,
        **overrides,
    }
    cv = Cv(**values)
    session.add(cv)
    return cv
