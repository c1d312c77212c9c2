"""Re-publishing work that stalled: the embedded broker forgets its messages on restart,
and any broker can lose what was in flight in a disaster. Consumers are idempotent, so
a second copy of a command is harmless.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog

from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import outbox as outbox_repo
from infra.db.session import Database
from producers.outbox import stage_events, upload_command
from schemas.cv import CvStatus
from schemas.envelope import Event
from schemas.events import CvParsed

log = structlog.get_logger(__name__)


async def requeue_stalled(db: Database, *, older_than: timedelta, limit: int = 500) -> int:
    """Re-publish the command of every CV stuck before scoring for longer than ``older_than``."""
    cutoff = datetime.now(UTC) - older_than
    async with db.transaction() as session:
        stuck = await cvs_repo.stalled(session, [CvStatus.QUEUED, CvStatus.PARSED], cutoff, limit)
        if not stuck:
            return 0
        # Rows still in the outbox are on their way already.
        waiting = await outbox_repo.pending_keys(session, [str(cv.id) for cv in stuck])
        events: list[Event] = []
        for cv in stuck:
            if str(cv.id) in waiting:
                continue
            if cv.status == CvStatus.QUEUED:
                events.append(upload_command(cv))
            else:
                language = (cv.parsed or {}).get("language", "pt")
                events.append(
                    CvParsed(
                        correlation_id=cv.correlation_id,
                        user_id=cv.user_id,
                        cv_id=cv.id,
                        language=language,
                    )
                )
        await cvs_repo.touch(session, [cv.id for cv in stuck])
        if events:
            await stage_events(session, *events)
    if events:
        log.warning("re-published stalled CV commands", count=len(events))
    return len(events)
