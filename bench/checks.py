"""Cost of the abuse checks on an authenticated GET: p50/p99 of ``GET /v1/me`` with the
rate limits on (one Redis round trip for the general budget) and off, in one run, on
the embedded services, through the whole ASGI stack (middleware included) without a
network hop.

    python -m bench.checks [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

from bench.pipeline import _percentile
from infra.embedded import EmbeddedStack
from infra.settings import RateLimitSettings, Settings
from tests.support.asgi import api_clients
from tests.support.identity import signed_in
from tests.support.system import test_settings

WARM_UP = 50


async def _timings(settings: Settings, requests: int) -> list[float]:
    async with api_clients(settings) as client_from:
        client = client_from("10.99.0.1")
        account = await signed_in(client)
        timings = []
        for index in range(WARM_UP + requests):
            started = time.perf_counter()
            response = await client.get("/v1/me", headers=account.headers)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.text
            if index >= WARM_UP:
                timings.append(elapsed * 1000)
    return timings


async def _compare(base: Settings, requests: int) -> None:
    budget = f"{requests * 10} per minute"
    # Off, on, off again: a drift of the machine over the run shows as a difference
    # between the two "off" lines.
    for label, enabled in (("limits off", False), ("limits on", True), ("limits off", False)):
        limits = RateLimitSettings(
            enabled=enabled, general=budget, key_prefix=f"bench-{uuid.uuid4().hex}"
        )
        timings = await _timings(base.model_copy(update={"ratelimit": limits}), requests)
        print(
            f"{label:>10}: p50 {_percentile(timings, 0.5):.2f} ms, "
            f"p99 {_percentile(timings, 0.99):.2f} ms over {len(timings)} requests"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recoloca-bench-") as path:
        # As root, the embedded PostgreSQL runs unprivileged and must be able to enter it.
        Path(path).chmod(0o755)
        stack = EmbeddedStack(Path(path) / "services")
        try:
            asyncio.run(_compare(test_settings(stack, Path(path)), args.requests))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
