"""With the database away, the API answers 503 ``database_unavailable`` with a
Retry-After, as a problem body, instead of an opaque 500."""

from __future__ import annotations

import inspect

import httpx
import pytest
from sqlalchemy import exc as sa_exc
from starlette.requests import Request

from api.app import create_app
from api.errors import PROBLEM_MEDIA_TYPE
from infra.embedded import free_port
from infra.settings import Settings
from tests.support.api import PASSWORD, new_user, upload
from tests.support.asgi import api_clients


def _without_database(settings: Settings) -> Settings:
    # A port nobody listens on: every connection is refused.
    gone = f"postgresql://postgres@127.0.0.1:{free_port()}/recoloca"
    return settings.model_copy(
        update={"database": settings.database.model_copy(update={"url": gone})}
    )


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert response.json()["code"] == "database_unavailable"
    assert int(response.headers["retry-after"]) > 0


async def test_a_sign_up_without_the_database_is_told_to_retry(settings: Settings) -> None:
    async with api_clients(_without_database(settings)) as client_from:
        client = client_from("192.0.2.10")
        response = await client.post(
            "/v1/auth/register", json={"email": "someone@example.com", "password": PASSWORD}
        )
    _assert_unavailable(response)


async def test_an_upload_while_the_database_is_away_is_told_to_retry(settings: Settings) -> None:
    async with api_clients(settings) as client_from:
        headers = await new_user(client_from("192.0.2.11"))
    async with api_clients(_without_database(settings)) as client_from:
        response = await upload(client_from("192.0.2.11"), headers, b"%PDF-1.4 not read")
    _assert_unavailable(response)


@pytest.mark.parametrize(
    "error",
    [
        sa_exc.TimeoutError("QueuePool limit reached"),
        sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    ],
)
async def test_a_full_pool_or_a_lost_connection_is_the_same_answer(
    settings: Settings, error: Exception
) -> None:
    app = create_app(settings)
    handler = app.exception_handlers[type(error)]
    response = handler(Request({"type": "http", "headers": []}), error)
    assert inspect.isawaitable(response)
    response = await response
    assert response.status_code == 503
    assert b'"database_unavailable"' in response.body


async def _answer_to(settings: Settings, error: Exception) -> httpx.Response:
    """What a request gets when its route raises ``error``, through the whole app."""
    app = create_app(settings)

    async def fails() -> None:
        raise error

    app.add_api_route("/v1/fails", fails)
    # The exception still goes on up to the server, which logs it: the answer is sent first.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        return await client.get("/v1/fails")


async def test_a_statement_on_a_connection_the_server_closed_is_told_to_retry(
    settings: Settings,
) -> None:
    # What a backend terminated mid-statement gives: no subclass, but an invalidated connection.
    error = sa_exc.DBAPIError("SELECT 1", {}, Exception("terminating connection"))
    error.connection_invalidated = True
    _assert_unavailable(await _answer_to(settings, error))


async def test_an_unexpected_error_is_a_problem_body_too(settings: Settings) -> None:
    response = await _answer_to(settings, RuntimeError("a bug"))
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert response.json()["code"] == "internal_error"
    assert "a bug" not in response.text
