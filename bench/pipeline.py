"""Scripted client against a running Recoloca (``make run`` in another terminal).

Walks what a user does — register, log in, open the SSE stream, upload a two-column PDF,
see it scored live, try each rejection — then measures upload latency and
time-to-scored over a series of uploads. Exits non-zero if any step misbehaves.

    python -m bench.pipeline [--base-url http://127.0.0.1:8000] [--uploads 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from typing import Any

import httpx

from tests.support.documents import image_only_pdf, two_column_pdf
from tests.support.sse import read_events

PASSWORD = "bench-password-123"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _report(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<22} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  "
        f"p95={_percentile(ms, 0.95):7.1f} ms  max={max(ms):7.1f} ms"
    )


def _check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        raise SystemExit(1)


async def _user(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    _check(response.status_code == 201, f"register → 201 ({response.status_code})")
    response = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    _check(response.status_code == 200, f"log in → 200 ({response.status_code})")
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, name: str = "cv.pdf"
) -> httpx.Response:
    return await client.post(
        "/v1/cvs", headers=headers, files={"file": (name, content, "application/pdf")}
    )


async def walkthrough(client: httpx.AsyncClient) -> None:
    print("walkthrough")
    headers = await _user(client)
    pdf = two_column_pdf()
    async with client.stream("GET", "/v1/events", headers=headers) as stream:
        _check(stream.status_code == 200, "SSE stream opens")
        started = time.perf_counter()
        response = await _upload(client, headers, pdf)
        _check(response.status_code == 202, "two-column PDF upload → 202")
        cv_id = response.json()["id"]
        seen: list[str] = []

        async def until_scored() -> None:
            async for event in read_events(stream):
                if event.data.get("cv_id") == cv_id:
                    seen.append(event.event or "")
                    if event.event in ("cv.scored", "cv.failed"):
                        return

        await asyncio.wait_for(until_scored(), timeout=15)
        elapsed = time.perf_counter() - started
    _check(seen == ["cv.parsed", "cv.scored"], f"SSE delivered {seen} in {elapsed * 1000:.0f} ms")
    cv = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
    analysis: dict[str, Any] = cv["analysis"]
    _check(cv["status"] == "scored", f"GET /v1/cvs/{{id}} → scored, score {analysis['score']}")
    _check(analysis["contact"]["phone"] == "+5511987654321", "phone normalised to E.164")
    _check(analysis["contact"]["name"] == "João da Silva", "name read from the left column")

    rejections = [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "unsupported_file_type"),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), 413, "file_too_large"),
        (b"", 422, "empty_file"),
        (b"%PDF-1.7\n1 0 obj", 422, "unreadable_file"),
    ]
    for content, status, code in rejections:
        response = await _upload(client, headers, content)
        _check(
            response.status_code == status and response.json().get("code") == code,
            f"rejection {code} → {status}",
        )
    response = await _upload(client, {}, pdf)
    _check(response.status_code == 401, "no token → 401")
    stranger = await _user(client)
    response = await client.get(f"/v1/cvs/{cv_id}", headers=stranger)
    _check(response.status_code == 404, "another user's CV → 404")
    scanned = (await _upload(client, headers, image_only_pdf())).json()["id"]
    for _ in range(100):
        cv = (await client.get(f"/v1/cvs/{scanned}", headers=headers)).json()
        if cv["status"] in ("scored", "failed"):
            break
        await asyncio.sleep(0.05)
    _check(
        cv["status"] == "failed" and cv["error"]["code"] == "no_extractable_text",
        "scanned PDF → failed: no_extractable_text",
    )


async def measure(client: httpx.AsyncClient, uploads: int) -> None:
    print(f"\nlatency over {uploads} sequential uploads")
    headers = await _user(client)
    pdf = two_column_pdf()
    upload_times: list[float] = []
    scored_times: list[float] = []
    for _ in range(uploads):
        started = time.perf_counter()
        response = await _upload(client, headers, pdf)
        upload_times.append(time.perf_counter() - started)
        if response.status_code == 402:
            raise SystemExit(
                "the free plan's limit was reached: start make run with "
                "RECOLOCA_BILLING_FREE_ANALYSES_PER_MONTH=1000 to measure more uploads"
            )
        if response.status_code != 202:
            raise SystemExit(f"upload failed: {response.status_code} {response.text}")
        cv_id = response.json()["id"]
        while True:
            cv = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
            if cv["status"] in ("scored", "failed"):
                break
            await asyncio.sleep(0.01)
        scored_times.append(time.perf_counter() - started)
    print(_report("upload (202)", upload_times))
    print(_report("upload → scored", scored_times))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--uploads", type=int, default=50)
    args = parser.parse_args()
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as client:
        try:
            ready = await client.get("/readyz")
        except httpx.TransportError:
            sys.exit(f"nothing answers at {args.base_url}: start it with `make run`")
        _check(ready.status_code == 200, f"ready: {ready.json()['checks']}")
        await walkthrough(client)
        await measure(client, args.uploads)


if __name__ == "__main__":
    asyncio.run(main())
