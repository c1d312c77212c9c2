"""Talking to the running API as a user would."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from tests.support.system import wait_for

PASSWORD = "correct horse battery staple"


async def new_user(client: httpx.AsyncClient) -> dict[str, str]:
    """Register a fresh user, log in, return the Authorization header."""
    email = f"user-{uuid.uuid4().hex[:12]}@example.com"
    response = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    response = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    filename: str = "cv.pdf",
    content_type: str = "application/pdf",
    job_description: str | None = None,
    request_id: str | None = None,
) -> httpx.Response:
    data = {"job_description": job_description} if job_description else None
    extra = {"X-Request-ID": request_id} if request_id else {}
    return await client.post(
        "/v1/cvs",
        headers={**headers, **extra},
        files={"file": (filename, content, content_type)},
        data=data,
    )


async def wait_for_status(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    cv_id: str,
    *statuses: str,
    timeout: float = 15,
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
        return body if body.get("status") in statuses else None

    return await wait_for(probe, timeout=timeout, what=f"CV {cv_id} to reach {statuses}")


def user_id_of(headers: dict[str, str]) -> uuid.UUID:
    """The user id inside the bearer token of ``headers``."""
    token = headers["Authorization"].removeprefix("Bearer ")
    return uuid.UUID(jwt.decode(token, options={"verify_signature": False})["sub"])
