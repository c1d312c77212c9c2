"""OWASP API7:2023, server side request forgery: nothing a user sends makes the server
fetch a URL. Addresses in a CV or a job description are text, never followed."""

from __future__ import annotations

import asyncio

from tests.support.api import upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.identity import signed_in
from tests.support.system import RunningSystem


async def test_urls_in_a_cv_and_a_job_description_are_never_fetched(
    system: RunningSystem,
) -> None:
    hits: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hits.append(await reader.readline())
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    targets = [
        f"http://127.0.0.1:{port}/portfolio",
        f"https://127.0.0.1:{port}/cert",
        f"http://localhost:{port}/linkedin",
    ]
    try:
        async with system.client() as client:
            account = await signed_in(client)
            lines = ["Ana Souza", "Portfólio: " + targets[0], *targets[1:], "Experiência", "Python"]
            uploaded = await upload(
                client,
                account.headers,
                txt_cv(lines),
                "cv.txt",
                "text/plain",
                job_description="Vaga de analista. Detalhes em " + " ".join(targets),
            )
            assert uploaded.status_code == 202
            cv_id = uploaded.json()["id"]
            scored = await wait_for_status(client, account.headers, cv_id, "scored", timeout=30)
            report = await client.get(f"/v1/cvs/{cv_id}/report.pdf", headers=account.headers)
            # The report may not be stored yet; either way nothing was fetched for it.
            assert report.status_code in {200, 404}
    finally:
        server.close()
        await server.wait_closed()
    assert scored["status"] == "scored"
    assert hits == []
