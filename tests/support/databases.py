"""Extra databases on the test server, for tests that need a system of their own."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.engine import make_url

from infra.db.session import to_asyncpg_dsn


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def create_database(url: str, prefix: str) -> str:
    """A new empty database beside the one ``url`` points at; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(to_asyncpg_dsn(with_database(url, "postgres")))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return with_database(url, name)
