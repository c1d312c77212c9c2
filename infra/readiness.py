"""What "ready" means for a process: every component it runs can do its work.

The API is listening, the outbox relay holds the leader lock, each worker has joined its
consumer group and been given its partitions. ``/readyz`` reports it per component.
"""

from __future__ import annotations

import asyncio


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
