"""The transactional outbox: events are written in the same transaction as their cause."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import Cv
from infra.db.repositories import outbox as outbox_repo
from schemas.envelope import Event
from schemas.events import CvUploaded
from schemas.files import FileKind
from schemas.topics import topic_for


async def stage_events(session: AsyncSession, *events: Event) -> None:
    """Queue events for publication; they leave only if the caller's transaction commits.

    The relay is woken by a NOTIFY that Postgres delivers at commit (the outbox's insert
    trigger sends it), so publication follows the commit within milliseconds, and never
    precedes it.
    """
    staged = []
    for event in events:
        topic = topic_for(event)
        staged.append(
            outbox_repo.Staged(
                topic=topic.name,
                key=topic.key_of(event).decode(),
                headers=event.headers(),
                payload=event.model_dump(mode="json"),
            )
        )
    await outbox_repo.add(session, staged)


def upload_command(cv: Cv) -> CvUploaded:
    """The ``cv.uploaded`` command of a stored CV (sent again when it stalled)."""
    return CvUploaded(
        correlation_id=cv.correlation_id,
        user_id=cv.user_id,
        cv_id=cv.id,
        storage_key=cv.storage_key,
        file_kind=FileKind(cv.file_kind),
        size_bytes=cv.size_bytes,
    )
