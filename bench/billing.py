"""Subscriptions end to end, as a scripted client against a running ``make run``.

For each of 20 users: sign and post the events of a real subscription's life (checkout
completed → subscription created → invoice paid → renewal payment failed → subscription
deleted, or the first part of it) in a random order with duplicates; wait until every
event is applied; check the user's plan is what Stripe's last word implies; then upload
four CVs: a free user's fourth is refused (402), a pro user's is accepted. Reports the
webhook acknowledgement latency.

Start the product with the webhook secret, and room for 20 registrations from one
address:

    RECOLOCA_STRIPE_WEBHOOK_SECRET=whsec_bench RECOLOCA_RATELIMIT_REGISTRATION="100 per hour" make run
    RECOLOCA_STRIPE_WEBHOOK_SECRET=whsec_bench make bench-billing

Exits non-zero if any user ends in the wrong state.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.pipeline import _percentile
from tests.support import stripe_objects as so
from tests.support.billing import signed, subscription_life

PASSWORD = "uma senha longa e boa"
CV = Path(__file__).resolve().parent.parent / "examples" / "cv-pt-BR.txt"


async def _user(client: httpx.AsyncClient) -> tuple[uuid.UUID, dict[str, str]]:
    email = f"bench-billing-{uuid.uuid4().hex[:10]}@example.com"
    registered = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    if registered.status_code != 201:
        raise SystemExit(f"register failed: {registered.status_code} {registered.text}")
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = (await client.get("/v1/me", headers=headers)).json()
    return uuid.UUID(me["id"]), headers


async def _post(
    client: httpx.AsyncClient, event: dict[str, Any], secret: str, acks: list[float]
) -> None:
    body, headers = signed(event, secret)
    started = time.perf_counter()
    response = await client.post("/webhooks/stripe", content=body, headers=headers)
    acks.append(time.perf_counter() - started)
    if response.status_code != 200:
        raise SystemExit(f"webhook refused: {response.status_code} {response.text}")


async def _state(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str]:
    body = (await client.get("/v1/billing/subscription", headers=headers)).json()
    return body["plan"], body["status"]


async def _one_user(
    client: httpx.AsyncClient, secret: str, length: int, rng: random.Random, acks: list[float]
) -> tuple[tuple[str, str], tuple[str, str], list[int], list[str]]:
    user_id, headers = await _user(client)
    life = subscription_life(user_id)
    deliveries = life.events[:length] + rng.choices(life.events[:length], k=rng.randint(1, 4))
    rng.shuffle(deliveries)
    for event in deliveries:
        await _post(client, event, secret, acks)
    expected = life.expected[length - 1]
    deadline = time.monotonic() + 30
    got = await _state(client, headers)
    # Applied asynchronously: wait for the last word, not a fixed time.
    while got != expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        got = await _state(client, headers)
    codes = []
    cv = CV.read_bytes()
    for _ in range(4):
        response = await client.post(
            "/v1/cvs", headers=headers, files={"file": ("cv.txt", cv, "text/plain")}
        )
        codes.append(response.status_code)
    return expected, got, codes, [e["type"].split(".", 1)[1] for e in deliveries]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--secret",
        default=os.environ.get("RECOLOCA_STRIPE_WEBHOOK_SECRET"),
        help="The run's webhook secret (default: RECOLOCA_STRIPE_WEBHOOK_SECRET)",
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--acks", type=int, default=500, help="extra webhooks (unknown type) to time the ack"
    )
    args = parser.parse_args()
    if not args.secret:
        parser.error("give --secret or set RECOLOCA_STRIPE_WEBHOOK_SECRET")
    rng = random.Random(args.seed)
    acks: list[float] = []
    failures = 0
    async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as client:
        print(f"{'user':>4}  {'events':>6}  {'expected':<18} {'got':<18} 4 uploads")
        for n in range(args.users):
            # Every length of the life in turn: some users end pro, some free.
            length = n % 5 + 1
            expected, got, codes, order = await _one_user(client, args.secret, length, rng, acks)
            fourth_ok = codes[3] == (202 if expected[0] == "pro" else 402)
            ok = got == expected and codes[:3] == [202, 202, 202] and fourth_ok
            failures += not ok
            print(
                f"{n:>4}  {len(order):>6}  {'/'.join(expected):<18} {'/'.join(got):<18} "
                f"{codes} {'ok' if ok else 'FAIL'}  ({', '.join(order)})"
            )
        lifecycle_acks = list(acks)
        for _ in range(args.acks):
            await _post(
                client, so.event("price.created", so.price("price_bench")), args.secret, acks
            )
    ms = sorted(a * 1000 for a in acks)
    print(
        f"\nwebhook ack over {len(ms)} deliveries ({len(lifecycle_acks)} of subscription lives): "
        f"p50={_percentile(ms, 0.50):.1f} ms  p95={_percentile(ms, 0.95):.1f} ms  "
        f"p99={_percentile(ms, 0.99):.1f} ms  max={ms[-1]:.1f} ms"
    )
    print(f"{args.users - failures}/{args.users} users in the state Stripe's last word implies")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    asyncio.run(main())
