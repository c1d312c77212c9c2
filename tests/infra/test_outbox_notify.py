"""The outbox wakes the relay: its insert trigger's NOTIFY arrives at commit, never before,
and never for a transaction that rolled back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text

from infra.db.repositories.outbox import NOTIFY_CHANNEL
from infra.db.session import Database, to_asyncpg_dsn
from producers.outbox import stage_events
from schemas.users import UserRegistered


@pytest.fixture
async def notices(db: Database) -> AsyncIterator[asyncio.Queue[str]]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(to_asyncpg_dsn(db.url))
    await listener.add_listener(
        NOTIFY_CHANNEL, lambda _conn, _pid, _channel, payload: queue.put_nowait(payload)
    )
    try:
        yield queue
    finally:
        await listener.close()


def _drain(queue: asyncio.Queue[str]) -> list[str]:
    """What arrived so far (other tests' commits may be among it)."""
    got = []
    while not queue.empty():
        got.append(queue.get_nowait())
    return got


def _event() -> UserRegistered:
    return UserRegistered(locale="pt-BR", correlation_id="t", user_id=uuid.uuid4())


async def test_staged_events_notify_the_relay_at_commit(
    db: Database, notices: asyncio.Queue[str]
) -> None:
    async with db.transaction() as session:
        await stage_events(session, _event(), _event())
        txid = str(await session.scalar(text("SELECT txid_current()")))
        await asyncio.sleep(0.2)
        assert txid not in _drain(notices)  # not before the commit

    async with asyncio.timeout(5):
        while await notices.get() != txid:
            pass
    await asyncio.sleep(0.2)
    assert txid not in _drain(notices)  # one per transaction, however many rows


async def test_a_rolled_back_staging_notifies_nobody(
    db: Database, notices: asyncio.Queue[str]
) -> None:
    async with db.sessions() as session, session.begin():
        await stage_events(session, _event())
        txid = str(await session.scalar(text("SELECT txid_current()")))
        await session.rollback()

    await asyncio.sleep(0.5)
    assert txid not in _drain(notices)
