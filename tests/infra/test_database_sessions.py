"""The two kinds of session a process opens, and what a dropped connection costs."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import User
from infra.db.session import Database
from infra.settings import Settings


async def test_a_read_session_refuses_to_write(db: Database) -> None:
    email = f"read.{uuid.uuid4().hex}@example.com"
    async with db.reads() as session:
        session.add(User(id=uuid.uuid4(), email=email, password_hash="x"))
        with pytest.raises(RuntimeError, match="does not write"):
            await session.flush()

    async with db.reads() as session:
        found = await session.scalar(select(User).where(User.email == email))
    assert found is None


async def test_a_read_session_runs_outside_a_transaction(db: Database) -> None:
    # now() is when the transaction began: within one, every statement sees the same.
    async def two_nows(session: AsyncSession) -> tuple[object, object]:
        first = await session.scalar(text("SELECT now()"))
        await session.execute(text("SELECT pg_sleep(0.01)"))
        return first, await session.scalar(text("SELECT now()"))

    async with db.reads() as session:
        first, second = await two_nows(session)
    assert first != second

    async with db.transaction() as session:
        first, second = await two_nows(session)
    assert first == second


async def test_a_dropped_connection_fails_one_statement_and_is_replaced(
    db: Database, settings: Settings
) -> None:
    async with db.reads() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    assert settings.database.url is not None
    other = Database(settings.database.url, pool_size=1)
    try:
        async with other.reads() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()

    with pytest.raises(DBAPIError) as caught:
        async with db.reads() as session:
            await session.execute(text("SELECT 1"))
    assert caught.value.connection_invalidated

    async with db.transaction() as session:
        replaced = await session.scalar(text("SELECT pg_backend_pid()"))
    assert replaced != pid


async def test_the_pool_is_sized_by_the_settings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from infra.settings import get_settings

    monkeypatch.setenv("RECOLOCA_DATABASE_URL", settings.database.url or "")
    monkeypatch.setenv("RECOLOCA_DATABASE_POOL_SIZE", "1")
    monkeypatch.setenv("RECOLOCA_DATABASE_MAX_OVERFLOW", "1")
    monkeypatch.setenv("RECOLOCA_DATABASE_POOL_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    try:
        db = Database.of(get_settings().database)
    finally:
        get_settings.cache_clear()
    try:
        async with db.sessions() as one, db.sessions() as two:
            # Two connections out (the pool's one and one over it): a third waits 0.2 s.
            await one.execute(text("SELECT 1"))
            await two.execute(text("SELECT 1"))
            async with db.sessions() as three:
                with pytest.raises(PoolTimeout):
                    await three.execute(text("SELECT 1"))
    finally:
        await db.dispose()
