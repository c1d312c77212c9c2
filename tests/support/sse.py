"""A small SSE client over httpx streaming, for the tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class SseEvent:
    id: str | None
    event: str | None
    data: dict[str, Any]


async def read_events(response: httpx.Response) -> AsyncIterator[SseEvent]:
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if line == "":
            if "data" in fields:
                yield SseEvent(fields.get("id"), fields.get("event"), json.loads(fields["data"]))
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


async def collect_until(
    response: httpx.Response,
    done: Callable[[list[SseEvent]], bool],
    timeout: float = 15,
) -> list[SseEvent]:
    """Read events until ``done(events)`` is true; fail with what arrived if it never is."""
    events: list[SseEvent] = []

    async def read() -> None:
        async for event in read_events(response):
            events.append(event)
            if done(events):
                return

    try:
        await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise AssertionError(f"SSE condition not met in {timeout}s; got {events}") from None
    return events
