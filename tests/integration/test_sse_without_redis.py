"""Losing Redis loses no event: SSE streams fall back to reading the log."""

from __future__ import annotations

import asyncio
import contextlib

from api.services.event_stream import POLL_SECONDS, Wakeups, stream
from infra.db.repositories import user_events as user_events_repo
from infra.redis import make_redis
from tests.support.api import new_user, user_id_of
from tests.support.system import RunningSystem


async def test_stream_delivers_from_the_log_when_redis_is_unreachable(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        user_id = user_id_of(await new_user(client))
    dead_redis = make_redis("redis://127.0.0.1:1/0")
    wakeups = Wakeups(dead_redis)
    relaying = asyncio.create_task(wakeups.run())
    events = stream(
        system.db, wakeups, user_id, None, keepalive_seconds=15, stopping=asyncio.Event()
    )
    try:
        assert (await anext(events)).startswith("retry:")
        async with system.db.transaction() as session:
            await user_events_repo.add(
                session, user_id=user_id, type="cv.scored", data={"cv_id": "x", "score": 80}
            )

        async def scored_frame() -> str:
            # Skip what else the user's log holds (the welcome notification).
            while "event: cv.scored" not in (frame := await anext(events)):
                pass
            return frame

        frame = await asyncio.wait_for(scored_frame(), timeout=10)
    finally:
        await events.aclose()
        relaying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relaying
        await dead_redis.aclose()
    assert "event: cv.scored" in frame
    assert '"score": 80' in frame


async def test_streams_read_the_log_as_soon_as_redis_is_back(system: RunningSystem) -> None:
    """An event recorded while Redis was away (its wake-up lost) reaches the stream when
    the subscription returns, not at the next poll."""
    async with system.client() as client:
        user_id = user_id_of(await new_user(client))
    assert system.settings.redis.url is not None
    redis = make_redis(system.settings.redis.url)
    wakeups = Wakeups(redis)  # not subscribed yet: as if Redis were down
    events = stream(
        system.db, wakeups, user_id, None, keepalive_seconds=15, stopping=asyncio.Event()
    )
    relaying: asyncio.Task[None] | None = None
    try:
        assert (await anext(events)).startswith("retry:")
        next_frame = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.2)  # the stream is waiting now
        async with system.db.transaction() as session:
            await user_events_repo.add(
                session, user_id=user_id, type="cv.scored", data={"cv_id": "y", "score": 71}
            )
        relaying = asyncio.create_task(wakeups.run())
        # Well before the stream's own poll (POLL_SECONDS) would have found it.
        frame = await asyncio.wait_for(next_frame, timeout=POLL_SECONDS - 2)
        while "event: cv.scored" not in frame:
            frame = await asyncio.wait_for(anext(events), timeout=POLL_SECONDS - 2)
        assert wakeups.subscribed
    finally:
        await events.aclose()
        wakeups.stop()
        if relaying is not None:
            await asyncio.wait_for(relaying, timeout=5)
        await redis.aclose()
    assert '"score": 71' in frame
