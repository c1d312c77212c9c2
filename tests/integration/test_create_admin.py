"""``recoloca users create-admin``: the first administrator, from the shell."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner, Result

from entrypoints.cli import ADMIN_PASSWORD_ENV, app
from infra.db.models import User
from infra.db.repositories import users as users_repo
from infra.settings import get_settings
from tests.support.api import PASSWORD
from tests.support.identity import Account, audit_actions, log_in, new_email, signed_in
from tests.support.system import RunningSystem


@pytest.fixture
def cli(system: RunningSystem, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RECOLOCA_DATABASE_URL", system.settings.database.url or "")
    monkeypatch.delenv(ADMIN_PASSWORD_ENV, raising=False)
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    get_settings.cache_clear()
    # The command logs to the runner's captured stream, which is closed afterwards.
    root.handlers[:] = handlers
    root.setLevel(level)


def _invoke(email: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["users", "create-admin", email], input=input)


async def _create_admin(email: str, input: str | None = None) -> Result:
    # The command runs its own event loop, as it does from a shell.
    return await asyncio.to_thread(_invoke, email, input)


async def _user(system: RunningSystem, email: str) -> User:
    async with system.db.sessions() as session:
        user = await users_repo.by_email(session, email)
    assert user is not None
    return user


async def test_a_new_admin_with_the_password_from_the_environment(
    system: RunningSystem, cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = new_email()
    monkeypatch.setenv(ADMIN_PASSWORD_ENV, PASSWORD)
    first = await _create_admin(email.upper())
    assert first.exit_code == 0, first.output
    user = await _user(system, email)
    assert f"created administrator {user.id}" in first.output
    assert user.role == "admin"
    assert PASSWORD not in first.output

    again = await _create_admin(email)
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert await audit_actions(system, user.id) == [
        ("auth.registered", "ok"),
        ("admin.role_changed", "ok"),
    ]
    async with system.client() as client:
        account = Account(email=email)
        response = await log_in(client, account)
        assert response.status_code == 200, response.text
        account.tokens = response.json()
        users = await client.get("/v1/admin/users", headers=account.headers)
    assert users.status_code == 200


async def test_the_password_is_asked_for_when_not_in_the_environment(
    system: RunningSystem, cli: None
) -> None:
    email = new_email()
    done = await _create_admin(email, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert PASSWORD not in done.output
    assert (await _user(system, email)).role == "admin"


async def test_a_weak_password_creates_nothing(system: RunningSystem, cli: None) -> None:
    email = new_email()
    done = await _create_admin(email, input="password\npassword\n")
    assert done.exit_code != 0
    assert "password_too_short" in str(done.exception) or "password_too_common" in str(
        done.exception
    )
    async with system.db.sessions() as session:
        assert await users_repo.by_email(session, email) is None


async def test_an_existing_account_is_promoted_and_enabled(
    system: RunningSystem, cli: None
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
    user = await _user(system, account.email)
    async with system.db.transaction() as session:
        await session.execute(
            update(User).where(User.id == user.id).values(disabled_at=datetime.now(UTC))
        )
    # No password is asked for: the account has one.
    done = await _create_admin(account.email)
    assert done.exit_code == 0, done.output
    assert f"{user.id} is now an administrator" in done.output
    assert "enabled again" in done.output
    after = await _user(system, account.email)
    assert after.role == "admin"
    assert after.disabled_at is None
    actions = await audit_actions(system, user.id)
    assert actions[-2:] == [("admin.role_changed", "ok"), ("admin.user_enabled", "ok")]


def test_without_a_database_it_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RECOLOCA_DATABASE_URL", raising=False)
    monkeypatch.setenv("RECOLOCA_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        done = _invoke(f"{uuid.uuid4().hex}@example.com")
    finally:
        get_settings.cache_clear()
    assert done.exit_code != 0
    assert "RECOLOCA_DATABASE_URL" in str(done.exception)
