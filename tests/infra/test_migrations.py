"""Migrations run clean from empty to head and back, on a database of their own."""

from __future__ import annotations

import asyncio

import asyncpg

from infra.db.migrate import downgrade, upgrade
from infra.db.models import Base
from infra.db.session import to_asyncpg_dsn
from infra.settings import Settings
from tests.support.databases import create_database


async def _tables(url: str) -> set[str]:
    connection = await asyncpg.connect(to_asyncpg_dsn(url))
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows}


def test_upgrade_to_head_then_downgrade_to_base(settings: Settings) -> None:
    assert settings.database.url is not None
    url = asyncio.run(create_database(settings.database.url, "migrations"))

    upgrade(url)
    assert asyncio.run(_tables(url)) == set(Base.metadata.tables) | {"alembic_version"}

    downgrade(url, "base")
    assert asyncio.run(_tables(url)) == {"alembic_version"}

    upgrade(url)  # and up again: the downgrade left nothing behind that blocks it
    assert set(Base.metadata.tables) <= asyncio.run(_tables(url))


def test_models_and_migrations_agree(settings: Settings) -> None:
    """Autogenerate finds nothing to do: every model change has its migration."""
    assert settings.database.url is not None
    url = asyncio.run(create_database(settings.database.url, "drift"))
    upgrade(url)
    differences = asyncio.run(_diff(url))
    assert differences == []


async def _diff(url: str) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.ext.asyncio import create_async_engine

    from infra.db.session import to_async_url

    engine = create_async_engine(to_async_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
