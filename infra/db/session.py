"""The one engine and session factory of a process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import asyncpg
import structlog
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, configure_mappers

from infra.settings import DatabaseSettings

# The database did not answer: refused or lost connections, a server starting or full, no
# connection free in the pool in time. Transient, and nothing was committed: the caller
# may retry. The driver raises a refused connection as the builtin error, unwrapped.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
    ConnectionError,
)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is away, not that a statement is wrong: one of
    the above, or any driver error on a connection the server closed (a terminated or
    restarted backend mid-statement)."""
    return isinstance(exc, DATABASE_UNAVAILABLE) or (
        isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    )


_READ_ONLY = "read_only"
log = structlog.get_logger(__name__)


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
    @classmethod
    def of(cls, settings: DatabaseSettings) -> Database:
        """A process's database, its pool sized by the settings."""
        if not settings.url:
            raise RuntimeError("RECOLOCA_DATABASE_URL must be set")
        return cls(
            settings.url,
            pool_size=settings.pool_size,
            max_overflow=settings.max_overflow,
            pool_timeout=settings.pool_timeout_seconds,
        )

    def __init__(
        self, url: str, *, pool_size: int = 10, max_overflow: int = 10, pool_timeout: float = 30.0
    ) -> None:
        self.url = to_async_url(url)
        # hide_parameters: statement errors must not print the values (e-mails, CV text).
        # No pre-ping: asyncpg's costs three round trips (BEGIN, ";", ROLLBACK) on every
        # checkout. A connection the server dropped fails its first statement instead,
        # which invalidates the pool's older connections; the request or message that
        # hit it fails once and is retried like any other error.
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
            pool_recycle=1800,
            hide_parameters=True,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Autocommit: each statement is its own snapshot, without the BEGIN and ROLLBACK
        # round trips a transaction would add around it.
        self._reads = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False,
            info={_READ_ONLY: True},
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def rehearsal(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that is always rolled back.

        For warming up: a process runs its hot statements once here before it says it
        is ready, so that its first real request or message does not pay for opening a
        connection and compiling each statement (a few milliseconds apiece)."""
        configure_mappers()
        async with self.sessions() as session:
            await session.begin()
            try:
                yield session
            finally:
                await session.rollback()

    def reads(self) -> AsyncSession:
        """A session for reads that need no common snapshot (a lookup, one query); it
        refuses to write."""
        return self._reads()

    async def dispose(self) -> None:
        await self.engine.dispose()


async def warm_quietly(rehearsal: Awaitable[object]) -> None:
    """Await a warm-up, which only makes the first request faster: if the database is
    away, the process starts anyway and its readiness says so."""
    try:
        await rehearsal
    except Exception as exc:
        log.warning("warm-up skipped", error=type(exc).__name__)


@event.listens_for(Session, "before_flush")
def _refuse_writes(session: Session, *_: object) -> None:
    if session.info.get(_READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a read session does not write")
