"""The one engine and session factory of a process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def to_async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs too (pgserver and most platforms give those)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def to_asyncpg_dsn(url: str) -> str:
    """The same URL for a raw asyncpg connection (LISTEN/NOTIFY)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = to_async_url(url)
        # hide_parameters: statement errors must not print the values (e-mails, CV text).
        self.engine: AsyncEngine = create_async_engine(
            self.url, pool_size=pool_size, pool_pre_ping=True, hide_parameters=True
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
