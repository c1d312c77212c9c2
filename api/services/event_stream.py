"""A user's live event stream: replayed from the durable log in Postgres, woken by Redis.

Redis pub/sub is at most once, so it only says "look again"; what is sent always comes
from the log, in id order, which makes ``Last-Event-ID`` resumption exact. If Redis is
away the stream falls back to reading the log every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from infra.db.models import UserEvent
from infra.db.repositories import user_events as user_events_repo
from infra.db.session import Database
from infra.redis import user_channel

log = structlog.get_logger(__name__)

POLL_SECONDS = 5.0
RETRY_MILLISECONDS = 3000


def format_event(event: UserEvent) -> str:
    data = json.dumps({"type": event.type, **event.data, "at": event.created_at.isoformat()})
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def parse_last_event_id(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


async def stream(
    db: Database,
    redis: Redis,
    user_id: uuid.UUID,
    last_event_id: int | None,
    keepalive_seconds: float,
) -> AsyncIterator[str]:
    pubsub = await _subscribe(redis, user_id)
    try:
        if last_event_id is None:
            async with db.sessions() as session:
                last_event_id = await user_events_repo.last_id(session, user_id)
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n"
        loop = asyncio.get_running_loop()
        last_sent = loop.time()
        while True:
            async with db.sessions() as session:
                events = await user_events_repo.after(session, user_id, last_event_id)
            for event in events:
                yield format_event(event)
                last_event_id = event.id
            if events:
                last_sent = loop.time()
                continue
            if loop.time() - last_sent >= keepalive_seconds:
                yield ": keepalive\n\n"
                last_sent = loop.time()
            pubsub = await _wait_for_wake(
                redis, pubsub, user_id, wait_seconds=min(POLL_SECONDS, keepalive_seconds)
            )
    finally:
        if pubsub is not None:
            await _close(pubsub)


async def _subscribe(redis: Redis, user_id: uuid.UUID) -> PubSub | None:
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(user_channel(user_id))
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable, SSE stream polls", error=repr(exc))
        await _close(pubsub)
        return None
    return pubsub


async def _wait_for_wake(
    redis: Redis, pubsub: PubSub | None, user_id: uuid.UUID, wait_seconds: float
) -> PubSub | None:
    if pubsub is None:
        await asyncio.sleep(wait_seconds)
        return await _subscribe(redis, user_id)
    try:
        await pubsub.get_message(timeout=wait_seconds)
        # Several wake-ups may have queued: one read of the log serves them all.
        while await pubsub.get_message(timeout=0) is not None:
            pass
    except (RedisError, OSError) as exc:
        log.warning("redis connection lost, SSE stream polls", error=repr(exc))
        await _close(pubsub)
        return None
    return pubsub


async def _close(pubsub: PubSub) -> None:
    with contextlib.suppress(RedisError, OSError):
        await pubsub.aclose()  # type: ignore[no-untyped-call]
