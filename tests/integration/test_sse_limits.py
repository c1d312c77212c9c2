"""Open event streams per user are capped across API processes, and closing one frees it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

import httpx
import pytest

from entrypoints.runner import API
from infra.embedded import free_port
from infra.settings import RateLimitSettings, Settings
from tests.support.identity import Account, signed_in
from tests.support.system import RunningSystem, running_system, wait_for


@contextlib.asynccontextmanager
async def _api_processes(settings: Settings, count: int) -> AsyncIterator[list[RunningSystem]]:
    """``count`` API servers sharing Postgres and Redis, with the shipped stream cap."""
    limits = RateLimitSettings(key_prefix=f"test-{uuid.uuid4().hex}")
    async with contextlib.AsyncExitStack() as stack:
        systems = []
        for _ in range(count):
            own = settings.model_copy(
                update={
                    "api": settings.api.model_copy(update={"port": free_port()}),
                    "ratelimit": limits,
                }
            )
            systems.append(await stack.enter_async_context(running_system(own, [API])))
        yield systems


async def _open(
    stack: contextlib.AsyncExitStack, client: httpx.AsyncClient, account: Account
) -> httpx.Response:
    """A stream, held open until ``stack`` closes (or answered at once when refused)."""
    response = await stack.enter_async_context(
        client.stream("GET", "/v1/events", headers=account.headers)
    )
    if response.status_code == 200:
        lines = cast(AsyncGenerator[str, None], response.aiter_lines())
        # Held until the stack closes: a collected line iterator closes the connection.
        stack.push_async_callback(lines.aclose)
        first = await anext(lines)
        assert first.startswith("retry:"), first
    else:
        await response.aread()
    return response


@pytest.fixture
async def two_processes(settings: Settings) -> AsyncIterator[list[RunningSystem]]:
    async with _api_processes(settings, 2) as systems:
        yield systems


async def test_streams_beyond_the_cap_are_429_whichever_process_holds_them(
    two_processes: list[RunningSystem],
) -> None:
    first, second = two_processes
    cap = RateLimitSettings().sse_streams
    async with first.client() as one, second.client() as two:
        account = await signed_in(one)
        other = await signed_in(one)
        async with contextlib.AsyncExitStack() as streams:
            held = [await _open(streams, (one, two)[i % 2], account) for i in range(cap)]
            refused_here = await _open(streams, one, account)
            refused_there = await _open(streams, two, account)
            others = await _open(streams, two, other)
    assert [r.status_code for r in held] == [200] * cap
    for refused in (refused_here, refused_there):
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert int(refused.headers["retry-after"]) >= 1
    assert others.status_code == 200


async def test_a_closed_stream_gives_its_slot_back_at_once(
    two_processes: list[RunningSystem],
) -> None:
    first, second = two_processes
    cap = RateLimitSettings().sse_streams
    async with first.client() as one, second.client() as two:
        account = await signed_in(one)
        async with contextlib.AsyncExitStack() as streams:
            for _ in range(cap - 1):
                await _open(streams, two, account)
            async with contextlib.AsyncExitStack() as last:
                assert (await _open(last, one, account)).status_code == 200
                assert (await _open(last, two, account)).status_code == 429
            # The client went away: the server notices and frees the slot, well before
            # the slot would have expired on its own.

            async def reopened() -> bool:
                response = await _open(streams, two, account)
                return response.status_code == 200

            assert await wait_for(reopened, timeout=5, what="the closed stream's slot")
