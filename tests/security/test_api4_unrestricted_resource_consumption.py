"""OWASP API4:2023, unrestricted resource consumption: every input that costs the
server memory, storage or work has a bound, and going past it is a clear 4xx."""

from __future__ import annotations

from tests.support.api import send_oversized_upload
from tests.support.identity import signed_in
from tests.support.system import RunningSystem


async def test_uploads_are_cut_off_at_the_size_limit_whatever_the_framing(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
    limit = system.settings.api.max_upload_bytes
    for declared in (None, 4 * limit):
        status = await send_oversized_upload(
            system.settings.api.host,
            system.settings.api.port,
            account.headers["Authorization"],
            declared,
            2 * limit,
        )
        assert status == 413


async def test_pages_queries_and_texts_are_bounded(system: RunningSystem) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        for params in (
            {"limit": 101},
            {"limit": 0},
            {"offset": -1},
            {"offset": 2**63},
            {"q": "x" * 201},
        ):
            response = await client.get("/v1/cvs", params=params, headers=account.headers)
            assert response.status_code == 422, params
            assert response.json()["code"] == "validation_error"
        too_long = await client.patch(
            "/v1/me", json={"display_name": "x" * 121}, headers=account.headers
        )
        assert too_long.status_code == 422
        huge_password = await client.post(
            "/v1/auth/register", json={"email": "a@example.com", "password": "x" * 5000}
        )
        assert huge_password.status_code == 422


async def test_an_oversized_token_is_refused_without_being_decoded(system: RunningSystem) -> None:
    async with system.client() as client:
        response = await client.get(
            "/v1/me", headers={"Authorization": "Bearer " + "a" * 6000 + ".b.c"}
        )
        assert response.status_code == 401
