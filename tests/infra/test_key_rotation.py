"""``recoloca keys rotate``: every data key re-wrapped under the new master key, on a
database of its own (the suite's keys stay under the suite's master key)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from typer.testing import CliRunner

from entrypoints.cli import app
from infra.crypto import MasterKeys, UnknownMasterKeyError
from infra.db.migrate import upgrade
from infra.db.models import User, UserKey
from infra.db.session import Database
from infra.settings import Settings
from infra.vault import Vault, rotate
from tests.support.databases import create_database

OLD = "the master key being retired, long enough"
NEW = "the master key taking over, long enough too"


async def _database(settings: Settings) -> str:
    assert settings.database.url is not None
    url = await create_database(settings.database.url, "rotation")
    await asyncio.to_thread(upgrade, url)
    return url


async def _users_with_keys(db: Database, count: int) -> dict[uuid.UUID, bytes]:
    """Users with a key under the old master key, and a value sealed with each."""
    vault = Vault(MasterKeys("k1", {"k1": OLD}))
    sealed = {}
    async with db.transaction() as session:
        for _ in range(count):
            user = User(id=uuid.uuid4(), email=f"{uuid.uuid4().hex}@example.com", password_hash="x")
            session.add(user)
            await session.flush()
            key = await vault.key_or_create(session, user.id)
            sealed[user.id] = key.seal(b"a CV", "cvs", "1")
    return sealed


async def test_rotation_rewraps_every_key_and_resumes(settings: Settings) -> None:
    db = Database(await _database(settings), pool_size=2)
    try:
        sealed = await _users_with_keys(db, 5)
        rotating = MasterKeys("k2", {"k1": OLD, "k2": NEW})
        assert await rotate(db, rotating, batch=2) == 5
        assert await rotate(db, rotating) == 0  # nothing left: a second run is harmless

        after = Vault(MasterKeys("k2", {"k2": NEW}))  # the old key is gone now
        async with db.sessions() as session:
            ids = set(await session.scalars(select(UserKey.master_key_id)))
            for user_id, value in sealed.items():
                key = await after.key(session, user_id)
                assert key.open(value, "cvs", "1") == b"a CV"
        assert ids == {"k2"}
    finally:
        await db.dispose()


async def test_rotation_without_the_old_key_fails_and_changes_nothing(settings: Settings) -> None:
    db = Database(await _database(settings), pool_size=2)
    try:
        await _users_with_keys(db, 2)
        with pytest.raises(UnknownMasterKeyError):
            await rotate(db, MasterKeys("k2", {"k2": NEW}))
        async with db.sessions() as session:
            assert set(await session.scalars(select(UserKey.master_key_id))) == {"k1"}
    finally:
        await db.dispose()


async def test_the_command_reports_what_it_did(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = await _database(settings)
    db = Database(url, pool_size=1)
    try:
        await _users_with_keys(db, 3)
    finally:
        await db.dispose()
    configured = settings.model_copy(
        update={
            "database": settings.database.model_copy(update={"url": url}),
            "crypto": settings.crypto.model_copy(
                update={
                    "master_key": SecretStr(NEW),
                    "master_key_id": "k2",
                    "previous_keys": {"k1": SecretStr(OLD)},
                }
            ),
        }
    )
    monkeypatch.setattr("entrypoints.cli._settings", lambda: configured)
    result = await asyncio.to_thread(CliRunner().invoke, app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-wrapped 3 data key(s) under master key 'k2'; 0 left" in result.output
