"""OWASP API3:2023, broken object property level authorization: a client cannot write
properties it does not own (mass assignment) nor read ones it must never see."""

from __future__ import annotations

from tests.support.identity import create_api_key, signed_in
from tests.support.system import RunningSystem

_NEVER_SHOWN = ("password", "hash", "secret", "wrapped", "totp")


async def test_role_and_identity_cannot_be_assigned_through_the_profile(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        before = (await client.get("/v1/me", headers=account.headers)).json()
        for field, value in (
            ("role", "admin"),
            ("email", "someone-else@example.com"),
            ("id", "00000000-0000-0000-0000-000000000000"),
            ("mfa_enabled", True),
            ("disabled_at", None),
            ("created_at", "2020-01-01T00:00:00Z"),
        ):
            response = await client.patch(
                "/v1/me", json={"display_name": "Ana", field: value}, headers=account.headers
            )
            assert response.status_code == 422, field
        after = (await client.get("/v1/me", headers=account.headers)).json()
        assert after == before
        assert after["role"] == "user"


async def test_registration_cannot_choose_a_role(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client, role="admin")
        assert (await client.get("/v1/me", headers=account.headers)).json()["role"] == "user"


async def test_no_response_carries_a_secret_property(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        await create_api_key(client, account, "cvs:read")
        for path in ("/v1/me", "/v1/me/api-keys", "/v1/me/sessions"):
            body = (await client.get(path, headers=account.headers)).json()
            items = body if isinstance(body, list) else [body]
            for item in items:
                exposed = [k for k in item if any(word in k for word in _NEVER_SHOWN)]
                assert exposed == [], (path, exposed)
