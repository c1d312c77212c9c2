"""Accounts and tokens over HTTP."""

from __future__ import annotations

import uuid

import httpx

from infra.security import create_access_token
from tests.support.api import PASSWORD
from tests.support.system import RunningSystem


async def _register(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/v1/auth/register", json={"email": email, "password": password})


async def _log_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/v1/auth/token", data={"username": email, "password": password})


def _email() -> str:
    return f"auth-{uuid.uuid4().hex[:10]}@example.com"


async def test_register_twice_is_409_whatever_the_case(system: RunningSystem) -> None:
    email = _email()
    async with system.client() as client:
        first = await _register(client, email)
        second = await _register(client, email.upper())
    assert first.status_code == 201
    assert "password" not in first.text
    assert second.status_code == 409
    assert second.json()["code"] == "email_taken"


async def test_weak_password_and_bad_email_are_422(system: RunningSystem) -> None:
    async with system.client() as client:
        short = await _register(client, _email(), "pw1234")
        bad = await _register(client, "not-an-email")
    assert short.status_code == bad.status_code == 422
    assert short.json()["code"] == "password_too_short"
    assert bad.json()["code"] == "validation_error"
    assert "pw1234" not in short.text  # the input is not echoed back


async def test_wrong_password_and_unknown_user_look_the_same(system: RunningSystem) -> None:
    email = _email()
    async with system.client() as client:
        await _register(client, email)
        wrong = await _log_in(client, email, "wrong password!")
        unknown = await _log_in(client, _email())
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"


async def test_refresh_rotates_and_reuse_revokes_the_family(system: RunningSystem) -> None:
    email = _email()
    async with system.client() as client:
        await _register(client, email)
        tokens = (await _log_in(client, email)).json()
        assert tokens["token_type"] == "bearer"
        rotated = await client.post(
            "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert rotated.status_code == 200
        newer = rotated.json()
        me = await client.get(
            "/v1/cvs", headers={"Authorization": f"Bearer {newer['access_token']}"}
        )
        assert me.status_code == 200

        # The old refresh token comes back (stolen?): refused, and its successor dies with it.
        replay = await client.post(
            "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        successor = await client.post(
            "/v1/auth/refresh", json={"refresh_token": newer["refresh_token"]}
        )
        garbage = await client.post("/v1/auth/refresh", json={"refresh_token": "x.y.z"})
    assert replay.status_code == successor.status_code == garbage.status_code == 401
    assert replay.json()["code"] == "invalid_refresh_token"


async def test_expired_or_foreign_access_tokens_are_refused(system: RunningSystem) -> None:
    user = uuid.uuid4()
    secret = system.settings.auth.secret_key.get_secret_value()
    expired = create_access_token(user, secret, minutes=-1)
    foreign = create_access_token(user, "another-secret-entirely-0123456789", minutes=5)
    async with system.client() as client:
        for token in (expired, foreign):
            response = await client.get("/v1/cvs", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"
