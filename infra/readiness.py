"""What "ready" means for a process: every component it runs can do its work.

The API is listening, the outbox relay holds the leader lock, each worker has joined its
consumer group and been given its partitions. ``/readyz`` reports it per component.
"""

from __future__ import annotations

import asyncio

import httpx


class Readiness:
    def __init__(self) -> None:
        self._components: dict[str, bool] = {}
        self._changed = asyncio.Event()

    def expect(self, name: str) -> None:
        self._components.setdefault(name, False)

    def set(self, name: str, ready: bool) -> None:
        self._components[name] = ready
        self._changed.set()

    def snapshot(self) -> dict[str, bool]:
        return dict(self._components)

    @property
    def ready(self) -> bool:
        return all(self._components.values())

    async def wait_ready(self) -> None:
        while not self.ready:
            self._changed.clear()
            await self._changed.wait()


_PEER_SECONDS = 2.0


async def peer_readiness(peers: dict[str, str]) -> dict[str, str]:
    """Each peer process's readiness by name: ``ok``, ``starting`` or why it cannot say."""
    if not peers:
        return {}

    async def one(client: httpx.AsyncClient, url: str) -> str:
        try:
            response = await client.get(f"{url.rstrip('/')}/readyz")
        except httpx.HTTPError as exc:
            return f"error: {type(exc).__name__}"
        return "ok" if response.status_code == 200 else "starting"

    async with httpx.AsyncClient(timeout=_PEER_SECONDS) as client:
        states = await asyncio.gather(*(one(client, url) for url in peers.values()))
    return dict(zip(peers, states, strict=True))
