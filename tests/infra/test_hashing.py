"""Argon2 runs off the event loop, a bounded number at a time."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from infra import security
from infra.security import Hashing


async def test_no_more_hashes_run_at_once_than_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    running = peak = 0
    lock = threading.Lock()
    loop_thread = threading.get_ident()
    threads: set[int] = set()

    def slow_hash(password: str) -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        time.sleep(0.05)
        with lock:
            running -= 1
        return password

    monkeypatch.setattr(security, "hash_password", slow_hash)
    hashing = Hashing(concurrency=2)

    results = await asyncio.gather(*(hashing.hash(f"pw-{i}") for i in range(8)))

    assert results == [f"pw-{i}" for i in range(8)]
    assert peak == 2
    assert loop_thread not in threads


async def test_the_loop_answers_while_hashes_wait_their_turn() -> None:
    hashing = Hashing(concurrency=1)
    hashes = asyncio.gather(*(hashing.hash("correct horse battery staple") for _ in range(6)))
    ticks = 0
    while not hashes.done():
        await asyncio.sleep(0)
        ticks += 1
    assert all(h.startswith("$argon2id$") for h in await hashes)
    # Six real Argon2 hashes in a row, and the loop kept turning all along.
    assert ticks > 6
