"""The transactional outbox: events are written in the same transaction as their cause."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.repositories import outbox as outbox_repo
from schemas.envelope import Event
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
