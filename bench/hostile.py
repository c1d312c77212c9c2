"""Hostile files against a running Recoloca (``make run`` in another terminal).

For each hostile file of the parser's history: upload it, and at the same moment upload a
normal two-column PDF as another user, while ``/healthz`` is probed every 50 ms. Reports
the worst ``/healthz`` latency during each file, the normal CV's upload→scored time and
the hostile file's outcome. Exits non-zero when a file leaves ``/healthz`` over 500 ms,
the normal CV takes over 5 s, or the hostile file has no outcome within 60 s.

    python -m bench.hostile [--base-url http://127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from typing import Any

import httpx

from tests.consumers.parsing.hostile import hostile_documents
from tests.support.documents import two_column_pdf

PASSWORD = "bench-password-123"
_TYPES = {
    "cv.txt": "text/plain",
    "cv.pdf": "application/pdf",
    "cv.docx": "application/octet-stream",
}


async def _user(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"hostile-{uuid.uuid4().hex[:10]}@example.com"
    await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    response = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _outcome(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, content: bytes, limit: float
) -> tuple[float, dict[str, Any]]:
    """Upload and wait for scored/failed: (seconds, the CV or the refusal)."""
    started = time.perf_counter()
    response = await client.post(
        "/v1/cvs", headers=headers, files={"file": (name, content, _TYPES[name])}
    )
    if response.status_code != 202:
        return time.perf_counter() - started, {
            "status": f"refused {response.status_code}",
            "error": response.json(),
        }
    cv_id = response.json()["id"]
    while time.perf_counter() - started < limit:
        cv: dict[str, Any] = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
        if cv["status"] in ("scored", "failed"):
            return time.perf_counter() - started, cv
        await asyncio.sleep(0.05)
    return time.perf_counter() - started, {"status": "no outcome"}


async def _probe_health(client: httpx.AsyncClient, worst: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            await client.get("/healthz", timeout=30)
            worst.append(time.perf_counter() - started)
        except httpx.HTTPError:
            worst.append(float("inf"))
        await asyncio.sleep(0.05)


async def main(base_url: str) -> int:
    failures = 0
    normal_pdf = two_column_pdf()
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=120) as client,
        httpx.AsyncClient(base_url=base_url) as health,
    ):
        attacker, user = await _user(client), await _user(client)
        print(f"{'hostile file':<42} {'healthz max':>11} {'normal CV':>10} {'outcome':>9}  result")
        for title, (name, content) in hostile_documents().items():
            latencies: list[float] = []
            stop = asyncio.Event()
            probing = asyncio.create_task(_probe_health(health, latencies, stop))
            hostile = asyncio.create_task(_outcome(client, attacker, name, content, 60))
            await asyncio.sleep(0.2)  # the hostile file goes first
            normal_seconds, normal = await _outcome(client, user, "cv.pdf", normal_pdf, 30)
            hostile_seconds, result = await hostile
            stop.set()
            await probing
            worst = max(latencies) * 1000
            code = (result.get("error") or {}).get("code", "")
            ok = worst < 500 and normal_seconds < 5 and normal["status"] == "scored"
            ok = ok and result["status"] != "no outcome"
            failures += not ok
            print(
                f"{title:<42} {worst:>8.0f} ms {normal_seconds:>8.2f} s {hostile_seconds:>7.1f} s"
                f"  {result['status']} {code}{'' if ok else '  FAIL'}"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    sys.exit(asyncio.run(main(parser.parse_args().base_url)))
