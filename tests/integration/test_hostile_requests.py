"""Odd and hostile requests get a 4xx problem with a stable code, never a 500 or a hang."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import delete

from infra.db.models import User
from tests.consumers.parsing.samples import PT_CV
from tests.support.api import PASSWORD, new_user, upload, user_id_of
from tests.support.documents import txt_cv
from tests.support.system import RunningSystem, wait_for


async def test_an_anonymous_upload_is_refused_before_its_body_is_read(system: RunningSystem):
    host, port = system.settings.api.host, system.settings.api.port
    reader, writer = await asyncio.open_connection(host, port)
    try:
        # Headers of a 9 MB upload, and no body at all: the answer must not wait for it.
        writer.write(
            b"POST /v1/cvs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 9000000\r\n\r\n"
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
    assert status_line.split()[1] == b"401"


async def test_exactly_one_file_part(system: RunningSystem):
    async with system.client() as client:
        headers = await new_user(client)
        two = await client.post(
            "/v1/cvs",
            headers=headers,
            files=[
                ("file", ("a.txt", txt_cv(), "text/plain")),
                ("file", ("b.txt", txt_cv(), "text/plain")),
            ],
        )
        none = await client.post("/v1/cvs", headers=headers, data={"job_description": "x" * 40})
        listed = (await client.get("/v1/cvs", headers=headers)).json()
    assert (two.status_code, two.json()["code"]) == (422, "validation_error")
    assert (none.status_code, none.json()["code"]) == (422, "validation_error")
    assert listed["total"] == 0  # neither file was stored


async def test_out_of_range_and_nul_inputs_are_4xx(system: RunningSystem):
    async with system.client() as client:
        headers = await new_user(client)
        offset = await client.get("/v1/cvs", headers=headers, params={"offset": 10**30})
        nul_upload = await upload(
            client, headers, txt_cv(), "cv.txt", "text/plain", job_description="Vaga\x00 Python" * 5
        )
        nul_login = await client.post(
            "/v1/auth/token", data={"username": "a\x00@example.com", "password": PASSWORD}
        )
        nul_password = await client.post(
            "/v1/auth/register",
            json={"email": f"{uuid.uuid4().hex}@example.com", "password": "12345678\x00"},
        )
        huge_since = await client.get("/v1/events", headers=headers, params={"since": 10**30})
        async with client.stream(
            "GET", "/v1/events", headers={**headers, "Last-Event-ID": "9" * 40}
        ) as huge_last:
            huge_last_body = (await huge_last.aread()).decode()
    assert (offset.status_code, offset.json()["code"]) == (422, "validation_error")
    assert (nul_upload.status_code, nul_upload.json()["code"]) == (422, "validation_error")
    assert (nul_login.status_code, nul_login.json()["code"]) == (401, "invalid_credentials")
    assert nul_password.status_code == 422
    assert huge_since.status_code == 422
    assert huge_last.status_code == 422
    assert "invalid_last_event_id" in huge_last_body


async def test_a_token_of_a_deleted_user_is_refused_on_reads_and_uploads(system: RunningSystem):
    async with system.client() as client:
        headers = await new_user(client)
        async with system.db.transaction() as session:
            await session.execute(delete(User).where(User.id == user_id_of(headers)))

        read = await client.get("/v1/cvs", headers=headers)
        sent = await upload(client, headers, txt_cv(), "cv.txt", "text/plain")
    assert (read.status_code, read.json()["code"]) == (401, "not_authenticated")
    assert sent.status_code == 401


async def test_an_access_token_ends_with_its_revoked_refresh_family(system: RunningSystem):
    email = f"user-{uuid.uuid4().hex[:12]}@example.com"
    async with system.client() as client:
        await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
        tokens = (
            await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
        ).json()
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (await client.get("/v1/cvs", headers=bearer)).status_code == 200
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        # Reuse of the spent refresh token revokes the family, and its access tokens.
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})

        async def refused():
            return (await client.get("/v1/cvs", headers=bearer)).status_code == 401

        await wait_for(refused, timeout=15, what="the revoked session's access token to be refused")


async def test_a_utf16_cv_is_accepted(system: RunningSystem):
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, PT_CV.encode("utf-16"), "cv.txt", "text/plain")
    assert response.status_code == 202, response.text


async def _status_after_sending(system: RunningSystem, head: bytes, body_pieces: list[bytes]):
    host, port = system.settings.api.host, system.settings.api.port
    reader, writer = await asyncio.open_connection(host, port)
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def trickle():
        writer.write(head)
        for piece in body_pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.5)

    sending = asyncio.create_task(trickle())
    try:
        status_line = await asyncio.wait_for(reader.readline(), timeout=20)
    finally:
        sending.cancel()
        writer.close()
    return status_line.split()[1], loop.time() - started


async def test_a_body_shorter_than_its_length_or_trickled_is_cut_off(system: RunningSystem):
    head = (
        b"POST /v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    )
    short = await _status_after_sending(system, head % 1000, [b'{"email": '])
    trickled = await _status_after_sending(system, head % 200, [b" "] * 200)

    # Default limits: 5 s without data, 5 s of grace plus the length at 16 KiB/s.
    assert short[0] == trickled[0] == b"408"


async def test_headers_trickled_or_never_finished_are_cut_off(system: RunningSystem):
    limit = system.settings.api.header_timeout_seconds
    trickled, silent = await asyncio.gather(
        _status_after_sending(system, b"", [b"GET /healthz HTTP/1.1\r\n"] + [b"X"] * 60),
        _status_after_sending(system, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", []),
    )

    assert trickled[0] == silent[0] == b"408"
    # The clocks of the server and the test differ by a few milliseconds.
    assert limit - 0.1 <= trickled[1] < limit + 3
    assert limit - 0.1 <= silent[1] < limit + 3


async def test_a_keep_alive_connection_still_serves_its_next_request(system: RunningSystem):
    """The head deadline starts with each request's first byte, not with the connection."""
    reader, writer = await asyncio.open_connection(
        system.settings.api.host, system.settings.api.port
    )
    try:
        # Under uvicorn's keep-alive of 5 s, past the head deadline of the first request.
        pause = 4.0
        for _ in range(int(system.settings.api.header_timeout_seconds / pause) + 2):
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status = await asyncio.wait_for(reader.readline(), timeout=5)
            assert status.split()[1] == b"200"
            while (await reader.readline()) != b"\r\n":
                pass
            await reader.readexactly(len(b'{"status":"ok"}'))
            await asyncio.sleep(pause)
    finally:
        writer.close()
