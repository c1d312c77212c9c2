"""Talking to the running API as a user would."""

from __future__ import annotations

import asyncio
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


async def send_oversized_upload(
    host: str, port: int, authorization: str, declared_length: int | None, max_bytes: int
) -> int:
    """Stream a never-ending file part over a raw connection; return the status received."""
    reader, writer = await asyncio.open_connection(host, port)
    length = (
        f"Content-Length: {declared_length}\r\n"
        if declared_length
        else "Transfer-Encoding: chunked\r\n"
    )
    writer.write(
        (
            "POST /v1/cvs HTTP/1.1\r\n"
            f"Host: {host}\r\nAuthorization: {authorization}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            f"{length}\r\n"
        ).encode()
    )
    part = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="cv.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    )
    # Read while writing: the answer comes before the body ends (and before the reset).
    status_line = asyncio.create_task(reader.readline())
    chunk = b"0" * 65536
    try:
        for payload in (part, *([chunk] * (max_bytes // len(chunk)))):
            if status_line.done():
                break
            writer.write(payload if declared_length else b"%x\r\n%s\r\n" % (len(payload), payload))
            await writer.drain()
    except (ConnectionError, OSError):
        pass  # the server stopped reading: what it said is in the response
    line = await asyncio.wait_for(status_line, timeout=10)
    writer.close()
    return int(line.split()[1])
