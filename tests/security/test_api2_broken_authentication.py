"""OWASP API2:2023, broken authentication: no token stands in for another kind, no
forged or stale token is accepted, a stolen refresh token ends its whole session."""

from __future__ import annotations

import base64
import json
import time

import jwt

from tests.support.identity import (
    bearer,
    create_api_key,
    enrol,
    fresh_step,
    log_in,
    signed_in,
    user_id_of_account,
)
from tests.support.system import RunningSystem


def _unsigned(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


async def test_no_other_token_is_accepted_as_an_access_token(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        user_id = str(await user_id_of_account(client, account))
        secret = system.settings.auth.secret_key.get_secret_value()
        now = int(time.time())
        mfa_user = await signed_in(client)
        await enrol(client, mfa_user, await fresh_step())
        mfa_token = (await log_in(client, mfa_user)).json()["mfa_token"]

        for token in (
            account.tokens["refresh_token"],
            mfa_token,
            _unsigned({"sub": user_id, "exp": now + 600, "typ": "access"}),
            jwt.encode({"sub": user_id, "exp": now + 600, "typ": "access"}, "x" * 32, "HS256"),
            jwt.encode({"sub": user_id, "exp": now - 1, "typ": "access"}, secret, "HS256"),
            jwt.encode({"sub": user_id, "exp": now + 600}, secret, "HS256"),
            jwt.encode({"sub": "admin", "exp": now + 600, "typ": "access"}, secret, "HS256"),
            jwt.encode({"exp": now + 600, "typ": "access"}, secret, "HS256"),
        ):
            response = await client.get("/v1/me", headers=bearer(token))
            assert response.status_code == 401, token
            assert response.json()["code"] == "not_authenticated"


async def test_neither_an_access_token_nor_a_key_refreshes_a_session(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read")
        for token in (account.tokens["access_token"], key):
            response = await client.post("/v1/auth/refresh", json={"refresh_token": token})
            assert response.status_code == 401
            assert response.json()["code"] == "invalid_refresh_token"


async def test_a_replayed_refresh_token_ends_the_session_it_was_stolen_from(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        stolen = account.tokens["refresh_token"]
        rotated = await client.post("/v1/auth/refresh", json={"refresh_token": stolen})
        assert rotated.status_code == 200
        legit = rotated.json()

        replayed = await client.post("/v1/auth/refresh", json={"refresh_token": stolen})
        assert replayed.status_code == 401
        # The thief's replay revoked the family: the rightful holder signs in again.
        again = await client.post(
            "/v1/auth/refresh", json={"refresh_token": legit["refresh_token"]}
        )
        assert again.status_code == 401
        me = await client.get("/v1/me", headers=bearer(legit["access_token"]))
        assert me.status_code == 401


async def test_log_in_says_nothing_about_which_part_was_wrong(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        wrong_password = await log_in(client, account, password="not the password at all")
        account.email = "nobody-" + account.email
        unknown = await log_in(client, account)
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json() == unknown.json()


async def test_a_logged_out_access_token_is_refused(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        assert (await client.post("/v1/auth/logout", headers=account.headers)).status_code == 204
        assert (await client.get("/v1/me", headers=account.headers)).status_code == 401
