"""Exports live only as long as their link: past it, the archive is deleted.

An export is a full copy of a person's data; keeping it after its link expired would
keep that copy for no one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from infra.db.repositories import privacy as privacy_repo
from infra.db.session import Database
from infra.storage import ObjectStore
from schemas.privacy import ExportStatus

log = structlog.get_logger(__name__)


async def purge_expired_exports(db: Database, storage: ObjectStore, *, limit: int = 100) -> int:
    """Delete the archives of expired exports; how many were deleted."""
    async with db.transaction() as session:
        expired = await privacy_repo.expired_exports(session, datetime.now(UTC), limit)
        for export in expired:
            if export.storage_key:
                await storage.delete(export.storage_key)
            export.status, export.storage_key = ExportStatus.EXPIRED, None
    if expired:
        log.info("expired exports deleted", count=len(expired))
    return len(expired)
