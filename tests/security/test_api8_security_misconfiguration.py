"""OWASP API8:2023, security misconfiguration: errors say what went wrong without
saying how the server is built, and every answer is a problem body with a code."""

from __future__ import annotations

from tests.support.identity import signed_in
from tests.support.system import RunningSystem

_LEAKS = ("Traceback", 'File "', "sqlalchemy", "asyncpg", "site-packages", "/work/")


async def test_errors_are_problem_bodies_that_reveal_nothing_of_the_server(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        account = await signed_in(client)
        answers = [
            await client.get("/v1/nowhere"),
            await client.put("/v1/me", headers=account.headers),
            await client.post(
                "/v1/auth/register",
                content=b"{not json",
                headers={"Content-Type": "application/json"},
            ),
            await client.get("/v1/cvs/not-an-id", headers=account.headers),
            await client.post("/v1/auth/token", data={"username": "x"}),
        ]
    for response in answers:
        assert 400 <= response.status_code < 500, response.request.url
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == response.status_code
        assert body["code"]
        assert not any(leak in response.text for leak in _LEAKS), response.text
        assert "server" not in response.headers


async def test_a_validation_error_does_not_echo_what_was_sent(system: RunningSystem) -> None:
    secret = "my secret passphrase that is far too long " * 120
    async with system.client() as client:
        response = await client.post(
            "/v1/auth/register", json={"email": "not-an-email", "password": secret}
        )
    assert response.status_code == 422
    assert "my secret passphrase" not in response.text
