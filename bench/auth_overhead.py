"""What the account checks cost each authenticated request, before and after, in one run.

Two copies of the API run in this process on the same embedded Postgres and Redis:

- *before*: the bearer token's signature and expiry are all that is checked (the
  session check answers "live" without looking) and the rate limits are off;
- *after*: the real API: the session is live, the user enabled, the role read, the
  route's policy applied, the request counted against its budgets in Redis (the suite's
  raised budgets, so that the run is not cut short: the round trip is the same).

Requests go to each in turn over the ASGI interface (no network, so the figures are the
server's own work), in alternating blocks so that a change in machine load shows in
both. The same is measured with an API key (one query per request, never cached).

    python -m bench.auth_overhead [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from api.app import create_app
from api.deps import Resources
from api.policies import Role
from bench.pipeline import _percentile
from infra.embedded import EmbeddedStack
from infra.security import AccessClaims
from infra.settings import Settings
from tests.support.system import test_settings

PASSWORD = "bench-password-123"
_PATH = "/v1/cvs"
_BLOCKS = 10


class _SignatureOnly:
    """Trusts any well-signed, unexpired token: what was checked before accounts."""

    async def live_role(self, _claims: AccessClaims) -> str:
        return Role.USER

    async def is_live(self, _claims: AccessClaims) -> bool:
        return True


def _check_signature_only(app: FastAPI) -> None:
    resources: Resources = app.state.resources
    resources.sessions = _SignatureOnly()  # type: ignore[assignment]


@asynccontextmanager
async def _client(app: FastAPI, *, before: bool = False) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        if before:
            _check_signature_only(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield client


def _line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<26} n={len(ms):<5} p50={statistics.median(ms):6.2f} ms  "
        f"p99={_percentile(ms, 0.99):6.2f} ms"
    )


async def _timed(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = await client.get(_PATH, headers=headers)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"GET {_PATH} answered {response.status_code}: {response.text}")
    return times


async def _credentials(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    email = f"bench-{time.time_ns()}@example.com"
    await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    session = {"Authorization": f"Bearer {login.json()['access_token']}"}
    created = await client.post(
        "/v1/me/api-keys", json={"name": "bench", "scopes": ["cvs:read"]}, headers=session
    )
    return session, {"Authorization": f"Bearer {created.json()['key']}"}


async def run(settings: Settings, requests: int) -> None:
    per_block = max(1, requests // _BLOCKS)
    results: dict[str, list[float]] = {"before": [], "after": [], "after, API key": []}
    async with (
        _client(create_app(settings)) as after,
        _client(create_app(settings), before=True) as before,
    ):
        session, key = await _credentials(after)
        for client, headers in ((before, session), (after, session), (after, key)):
            await _timed(client, headers, 50)  # warm up pools and caches
        for _ in range(_BLOCKS):
            results["before"] += await _timed(before, session, per_block)
            results["after"] += await _timed(after, session, per_block)
            results["after, API key"] += await _timed(after, key, per_block)
    print(f"authenticated GET {_PATH} (in-process ASGI, {_BLOCKS} alternating blocks)")
    for name, times in results.items():
        print("  " + _line(name, times))
    overhead = statistics.median(results["after"]) - statistics.median(results["before"])
    print(f"  overhead at p50: {overhead * 1000:+.2f} ms per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recoloca-bench-") as folder:
        path = Path(folder)
        path.chmod(0o755)
        stack = EmbeddedStack(path / "services")
        try:
            settings = test_settings(stack, path)
            asyncio.run(run(settings, args.requests))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
