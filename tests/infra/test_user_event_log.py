"""One user's event log is read after the last id sent, so its ids must commit in order."""

from __future__ import annotations

import asyncio
import uuid

from infra.db.models import User
from infra.db.repositories import user_events as user_events_repo
from infra.db.session import Database


async def _user(db: Database) -> uuid.UUID:
    user_id = uuid.uuid4()
    async with db.transaction() as session:
        session.add(User(id=user_id, email=f"log.{user_id.hex}@example.com", password_hash="x"))
    return user_id


async def test_a_later_event_of_the_same_user_waits_for_the_earlier_to_commit(
    db: Database,
) -> None:
    user_id, other_id = await _user(db), await _user(db)

    async def record(who: uuid.UUID) -> int:
        async with db.transaction() as session:
            return (await user_events_repo.add(session, user_id=who, type="t", data={})).id

    async with db.transaction() as session:
        first = await user_events_repo.add(session, user_id=user_id, type="t", data={})
        later = asyncio.create_task(record(user_id))
        # Another user's events do not wait.
        await asyncio.wait_for(record(other_id), timeout=5)
        await asyncio.sleep(0.3)
        assert not later.done(), "an id behind an uncommitted one became visible first"
        # What a stream reading now would see: nothing it could skip later.
        async with db.reads() as reader:
            assert await user_events_repo.after(reader, user_id, 0) == []
    second = await asyncio.wait_for(later, timeout=5)
    assert second > first.id
