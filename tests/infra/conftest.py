from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from infra.db.session import Database
from infra.settings import Settings


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """A process's own database (its engine and pool), as a worker or the API has."""
    assert settings.database.url is not None
    database = Database(settings.database.url, pool_size=3)
    try:
        yield database
    finally:
        await database.dispose()
