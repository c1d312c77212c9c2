"""Accounts driven over HTTP: register, log in (one or two steps), enrol TOTP."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyotp
from sqlalchemy import update

from api.services.mfa import STEP_SECONDS
from infra.db.models import User
from infra.db.repositories import audit as audit_repo
from tests.support.api import PASSWORD, user_id_of
from tests.support.system import RunningSystem, wait_for


@dataclass
class Account:
    email: str
    password: str = PASSWORD
    tokens: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None
    recovery_codes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.tokens["access_token"])

    def code(self, step: int) -> str:
        assert self.secret is not None
        return pyotp.TOTP(self.secret).at(step * STEP_SECONDS)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_email() -> str:
    return f"id-{uuid.uuid4().hex[:12]}@example.com"


async def register(
    client: httpx.AsyncClient, *, headers: dict[str, str] | None = None, **body: Any
) -> Account:
    account = Account(email=body.pop("email", None) or new_email())
    response = await client.post(
        "/v1/auth/register",
        json={"email": account.email, "password": account.password, **body},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return account


async def log_in(
    client: httpx.AsyncClient, account: Account, password: str | None = None, **headers: str
) -> httpx.Response:
    return await client.post(
        "/v1/auth/token",
        data={"username": account.email, "password": password or account.password},
        headers=headers,
    )


async def signed_in(client: httpx.AsyncClient, **register_body: Any) -> Account:
    account = await register(client, **register_body)
    response = await log_in(client, account)
    assert response.status_code == 200, response.text
    account.tokens = response.json()
    return account


async def fresh_step(min_left: float = 6.0) -> int:
    """The current TOTP step once at least ``min_left`` seconds of it remain, so codes a
    test computes for steps around it are judged against the same step by the server."""

    async def probe() -> int | None:
        now = time.time()
        return int(now // STEP_SECONDS) if STEP_SECONDS - now % STEP_SECONDS >= min_left else None

    return await wait_for(probe, timeout=STEP_SECONDS + 1, what="a fresh TOTP step")


async def enrol(client: httpx.AsyncClient, account: Account, step: int) -> None:
    """Turn TOTP on with the code of ``step``."""
    started = await client.post("/v1/me/mfa/totp", headers=account.headers)
    assert started.status_code == 201, started.text
    account.secret = started.json()["secret"]
    confirmed = await client.post(
        "/v1/me/mfa/totp/confirm",
        json={"password": account.password, "code": account.code(step)},
        headers=account.headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    account.recovery_codes = confirmed.json()["recovery_codes"]


async def user_id_of_account(client: httpx.AsyncClient, account: Account) -> uuid.UUID:
    return uuid.UUID((await client.get("/v1/me", headers=account.headers)).json()["id"])


async def audit_actions(system: RunningSystem, user_id: uuid.UUID) -> list[tuple[str, str]]:
    """(action, outcome) of the user's audit entries, oldest first."""
    async with system.db.sessions() as session:
        entries = await audit_repo.page(session, involving=user_id, limit=100)
    return [(e.action, e.outcome) for e in reversed(entries)]


async def create_api_key(client: httpx.AsyncClient, account: Account, *scopes: str) -> str:
    response = await client.post(
        "/v1/me/api-keys",
        json={"name": "integration", "scopes": list(scopes)},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    key: str = response.json()["key"]
    return key


async def set_role(system: RunningSystem, user_id: uuid.UUID, role: str) -> None:
    """Give a user a role directly (the admin API that does it is tested on its own)."""
    async with system.db.sessions() as session:
        await session.execute(update(User).where(User.id == user_id).values(role=role))
        await session.commit()


async def grant_role(system: RunningSystem, account: Account, role: str) -> uuid.UUID:
    """Give the account a role straight in the database (the first admin has nobody to
    grant it over HTTP); returns the account's id. The id is read from the token, not
    asked of the API: that would remember the old role for the session-check interval."""
    user_id = user_id_of(account.headers)
    await set_role(system, user_id, role)
    return user_id
