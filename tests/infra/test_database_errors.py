"""A failing statement's error (what a traceback would print) does not carry its values."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.exc import DBAPIError

from infra.db.models import User
from infra.db.session import Database
from infra.settings import Settings


async def test_statement_errors_hide_their_parameters(settings: Settings) -> None:
    assert settings.database.url is not None
    db = Database(settings.database.url, pool_size=1)
    secret = f"maria.{uuid.uuid4().hex}@example.com"
    try:
        with pytest.raises(DBAPIError) as caught:
            async with db.transaction() as session:
                # NUL cannot be stored in a text column: the database refuses the row.
                session.add(User(id=uuid.uuid4(), email=secret + "\x00", password_hash="x"))
    finally:
        await db.dispose()

    assert "INSERT INTO users" in str(caught.value)
    assert secret not in str(caught.value)
