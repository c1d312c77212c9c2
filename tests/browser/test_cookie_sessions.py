"""The browser session: cookie flags, CSRF on every state-changing request, refresh
rotation behind the cookie, and the same services as the bearer API."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
from fastapi import Response

from api.web import sessions as web_sessions
from infra.redis import make_redis
from infra.security import create_access_token
from infra.settings import Environment, Settings
from tests.browser.forms import csrf_of, origin_of, page_csrf, sign_up
from tests.support.api import PASSWORD, new_user, upload
from tests.support.system import RunningSystem


def _set_cookie_headers(response: httpx.Response) -> list[str]:
    return response.headers.get_list("set-cookie")


async def test_sign_up_sets_an_http_only_lax_cookie_holding_no_token(system: RunningSystem):
    async with system.client() as client:
        page = await client.get("/signup")
        response = await client.post(
            "/signup",
            data={
                "email": f"web-{uuid.uuid4().hex[:12]}@example.com",
                "password": PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
            headers=origin_of(client),
        )
    assert response.status_code == 303
    [cookie] = [c for c in _set_cookie_headers(response) if c.startswith("recoloca_session=")]
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags
    # Not production: no TLS in tests, so no Secure flag (production sets it, below).
    assert "secure" not in flags
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert value.count(".") < 2, "the cookie must be a handle, not a JWT"


def test_the_cookie_is_secure_in_production(settings: Settings):
    production = settings.model_copy(update={"env": Environment.PRODUCTION})
    out = Response()
    web_sessions.set_session_cookie(out, production, "handle")
    flags = {part.strip() for part in out.headers["set-cookie"].lower().split(";")}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags


async def test_a_cookie_call_to_the_api_needs_the_csrf_token_and_our_origin(
    system: RunningSystem,
):
    async with system.client() as client:
        await sign_up(client)
        token = await page_csrf(client)
        body = {"mode": "review"}

        missing = await client.post("/v1/coach/sessions", json=body, headers=origin_of(client))
        assert missing.status_code == 403
        assert missing.json()["code"] == "csrf_failed"

        wrong = await client.post(
            "/v1/coach/sessions",
            json=body,
            headers={**origin_of(client), "X-CSRF-Token": "0" * 64},
        )
        assert wrong.json()["code"] == "csrf_failed"

        cross_site = await client.post(
            "/v1/coach/sessions",
            json=body,
            headers={"Origin": "https://evil.example", "X-CSRF-Token": token},
        )
        assert cross_site.status_code == 403
        assert cross_site.json()["code"] == "csrf_failed"

        no_origin = await client.post(
            "/v1/coach/sessions", json=body, headers={"X-CSRF-Token": token}
        )
        assert no_origin.json()["code"] == "csrf_failed"

        good = await client.post(
            "/v1/coach/sessions", json=body, headers={**origin_of(client), "X-CSRF-Token": token}
        )
        assert good.status_code == 201, good.text
        # Reads need no token.
        assert (await client.get("/v1/coach/sessions")).status_code == 200


async def test_page_forms_are_refused_without_their_token(system: RunningSystem):
    async with system.client() as client:
        await sign_up(client)
        response = await client.post(
            "/app/coach", data={"mode": "career"}, headers=origin_of(client)
        )
        assert response.status_code == 403
        assert 'data-error-code="csrf_failed"' in response.text
        token = await page_csrf(client)
        response = await client.post(
            "/app/coach",
            data={"mode": "career", "csrf_token": token},
            headers=origin_of(client),
        )
        assert response.status_code == 303
        assert response.headers["location"].startswith("/app/coach/")


async def test_the_log_in_form_needs_the_anonymous_token(system: RunningSystem):
    async with system.client() as client:
        email = await sign_up(client)
    async with system.client() as client:
        page = await client.get("/login")
        refused = await client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": "forged"},
            headers=origin_of(client),
        )
        assert refused.status_code == 403
        response = await client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
            headers=origin_of(client),
        )
        assert response.status_code == 303
        assert (await client.get("/app")).status_code == 200


async def test_bearer_clients_need_no_csrf_token(system: RunningSystem):
    async with system.client() as client:
        headers = await new_user(client)
        response = await client.post("/v1/coach/sessions", json={}, headers=headers)
        assert response.status_code == 201, response.text


async def test_the_event_stream_accepts_the_cookie(system: RunningSystem):
    async with system.client() as client:
        await sign_up(client)
        async with client.stream("GET", "/v1/events") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith(": connected"):
                    break
    async with system.client() as anonymous:
        refused = await anonymous.get("/v1/events")
        assert refused.status_code == 401
        assert refused.json()["code"] == "not_authenticated"


async def test_signed_out_pages_send_to_log_in_and_log_out_ends_the_session(
    system: RunningSystem,
):
    async with system.client() as client:
        redirect = await client.get("/app/account")
        assert redirect.status_code == 303
        assert redirect.headers["location"] == "/login?next=/app/account"
        await sign_up(client)
        handle = client.cookies["recoloca_session"]
        token = await page_csrf(client)
        out = await client.post("/logout", data={"csrf_token": token}, headers=origin_of(client))
        assert out.status_code == 303
        assert "recoloca_session" not in client.cookies
        # The old cookie, replayed, opens nothing.
    async with system.client(cookies={"recoloca_session": handle}) as replay:
        again = await replay.get("/app")
        assert again.status_code == 303
        assert again.headers["location"].startswith("/login")


async def test_an_expired_access_token_is_refreshed_once_for_concurrent_requests(
    system: RunningSystem, settings: Settings
):
    async with system.client() as client:
        await sign_up(client)
        handle = client.cookies["recoloca_session"]
        assert settings.redis.url is not None
        redis = make_redis(settings.redis.url)
        try:
            key = "web:session:" + web_sessions._digest(handle)
            stored = json.loads(await redis.get(key) or "{}")
            me = await client.get("/v1/me")
            user_id = uuid.UUID(me.json()["id"])
            # The access token has run out; the refresh token is still good.
            stored["access"] = create_access_token(
                user_id, settings.auth.secret_key.get_secret_value(), -1
            )
            await redis.set(key, json.dumps(stored))

            answers = await asyncio.gather(*(client.get("/v1/me") for _ in range(6)))
            assert [a.status_code for a in answers] == [200] * 6

            after = json.loads(await redis.get(key) or "{}")
            assert after["refresh"] != stored["refresh"], "the refresh token was rotated"
            # One rotation, not six: a reused refresh token would have revoked the family.
            assert (await client.get("/app")).status_code == 200
        finally:
            await redis.aclose()


async def test_another_users_cv_page_is_not_found(system: RunningSystem):
    async with system.client() as owner:
        headers = await new_user(owner)
        cv = await upload(owner, headers, b"Ana Souza\nPython developer\n", "cv.txt", "text/plain")
        cv_id = cv.json()["id"]
    async with system.client() as other:
        await sign_up(other)
        response = await other.get(f"/app/cvs/{cv_id}")
        assert response.status_code == 404
        assert 'data-error-code="not_found"' in response.text
        assert (await other.get(f"/app/cvs/{cv_id}/analysis")).status_code == 404
        assert (await other.get("/app/cvs/not-a-uuid")).status_code == 404
        # The error page's own forms (sign out, language) carry the session's token.
        out = await other.post(
            "/logout", data={"csrf_token": csrf_of(response.text)}, headers=origin_of(other)
        )
        assert out.status_code == 303
        assert out.headers["location"] == "/"
