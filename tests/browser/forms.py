"""Driving the pages with plain HTTP, as a browser without scripts would."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.support.api import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def origin_of(client: httpx.AsyncClient) -> dict[str, str]:
    return {"Origin": str(client.base_url).rstrip("/")}


async def sign_up(client: httpx.AsyncClient, email: str | None = None) -> str:
    """Sign up through the form; the client then holds the session cookie. The email."""
    email = email or f"web-{uuid.uuid4().hex[:12]}@example.com"
    page = await client.get("/signup")
    assert page.status_code == 200, page.text
    response = await client.post(
        "/signup",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        headers=origin_of(client),
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/app"
    return email


async def page_csrf(client: httpx.AsyncClient, path: str = "/app") -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)
