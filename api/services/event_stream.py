"""A user's live event stream: replayed from the durable log in Postgres, woken by Redis.

Redis pub/sub is at most once, so it only says "look again"; what is sent always comes
from the log, in id order, which makes ``Last-Event-ID`` resumption exact. One Redis
subscription per API process fans wake-ups out to its open streams; if Redis is away,
streams still read the log every few seconds.

The one exception is ephemeral: coach reply deltas arrive on their own channel and are
sent as they come, without an id (they never move ``Last-Event-ID``); the completed reply
that follows them is in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from typing import Any

import anyio
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.services.errors import InvalidLastEventIdError
from infra.db.models import UserEvent
from infra.db.repositories import user_events as user_events_repo
from infra.db.session import Database
from infra.ratelimit import StreamSlot, StreamSlots
from infra.redis import COACH_CHANNEL_PREFIX, USER_CHANNEL_PREFIX

log = structlog.get_logger(__name__)

# How often a stream reads the log unasked: often while Redis is away (wake-ups are then
# lost), rarely while this process is subscribed (a lost wake-up is then a dropped
# connection, after which every stream is woken anyway).
POLL_SECONDS = 5.0
SUBSCRIBED_POLL_SECONDS = 30.0
MAX_EVENT_ID = 2**63 - 1
RETRY_MILLISECONDS = 3000
_READ_SECONDS = 1.0

# Deltas a slow stream may fall behind by before the oldest are dropped (the completed
# reply carries the whole text anyway).
MAX_PENDING_DELTAS = 2000


class Listener:
    """One open stream's wake-up and the ephemeral events waiting for it."""

    def __init__(self) -> None:
        self.woken = asyncio.Event()
        self.ephemeral: deque[str] = deque(maxlen=MAX_PENDING_DELTAS)
        # The log may have news: a deltas-only wake-up need not query Postgres.
        self.log_due = True


class Wakeups:
    """Fans Redis wake-ups (and ephemeral events) out to the streams open in this
    process, per user."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._waiters: defaultdict[str, set[Listener]] = defaultdict(set)
        self._stopped = False
        self.subscribed = False

    @contextlib.contextmanager
    def listen(self, user_id: uuid.UUID) -> Iterator[Listener]:
        listener = Listener()
        key = str(user_id)
        self._waiters[key].add(listener)
        try:
            yield listener
        finally:
            self._waiters[key].discard(listener)
            if not self._waiters[key]:
                del self._waiters[key]

    def stop(self) -> None:
        self._stopped = True

    def _deliver(self, channel: str, data: object) -> None:
        if channel.startswith(COACH_CHANNEL_PREFIX):
            for listener in self._waiters.get(channel.removeprefix(COACH_CHANNEL_PREFIX), ()):
                listener.ephemeral.append(str(data))
                listener.woken.set()
            return
        for listener in self._waiters.get(channel.removeprefix(USER_CHANNEL_PREFIX), ()):
            listener.log_due = True
            listener.woken.set()

    async def run(self) -> None:
        """Relay wake-ups until stopped, resubscribing after a Redis outage."""
        backoff = 0.5
        while not self._stopped:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(f"{USER_CHANNEL_PREFIX}*", f"{COACH_CHANNEL_PREFIX}*")
                backoff = 0.5
                self.subscribed = True
                # Whatever was published before now never reached us: every stream looks.
                for listeners in self._waiters.values():
                    for listener in listeners:
                        listener.log_due = True
                        listener.woken.set()
                # Short reads, not listen(): redis-py can swallow a cancellation while
                # it waits, and a relay that never ends would hang the shutdown.
                while not self._stopped:
                    message = await pubsub.get_message(timeout=_READ_SECONDS)
                    if message is None:
                        continue
                    self._deliver(str(message.get("channel", "")), message.get("data", ""))
            except (RedisError, OSError) as exc:
                self.subscribed = False
                log.warning("redis unavailable, SSE streams poll", error=repr(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, POLL_SECONDS)
            finally:
                self.subscribed = False
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]


def format_event(event: UserEvent, extra: dict[str, Any] | None = None) -> str:
    body = {"type": event.type, **event.data, **(extra or {}), "at": event.created_at.isoformat()}
    data = json.dumps(body, ensure_ascii=False)
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def format_ephemeral(raw: str, visible: Visible | None = None) -> str | None:
    """An ephemeral event as SSE (no id); None for anything that is not one of ours, or
    that the stream's caller may not see."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return None
    if visible is not None and not visible(body["type"]):
        return None
    return f"event: {body['type']}\ndata: {json.dumps(body, ensure_ascii=False)}\n\n"


# Which event types the stream's caller may see (None: all of them).
Visible = Callable[[str], bool]


# What the log keeps out of an event (sealed personal data) and the stream adds for its
# owner, e.g. the text of a coach reply.
Expander = Callable[[UserEvent], Awaitable[dict[str, Any] | None]]


def parse_last_event_id(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    # Event ids are bigints; a longer number is no id of ours (and overflows in SQL).
    if len(value.strip()) > 19 or int(value.strip()) > MAX_EVENT_ID:
        raise InvalidLastEventIdError()
    return int(value.strip())


SESSION_ENDED = "event: session.ended\ndata: {}\n\n"


async def stream(
    db: Database,
    wakeups: Wakeups,
    user_id: uuid.UUID,
    last_event_id: int | None,
    keepalive_seconds: float,
    stopping: asyncio.Event,
    authorised: Callable[[], Awaitable[bool]] | None = None,
    reauth_seconds: float = 30.0,
    slot: Lease | None = None,
    expand: Expander | None = None,
    visible: Visible | None = None,
) -> AsyncGenerator[str, None]:
    """The stream's lines; every ``reauth_seconds`` it asks ``authorised`` whether its
    token and session still hold, and ends (with a ``session.ended`` event) when not.
    It renews ``slot`` (its place among the user's open streams) while it runs and
    gives it back when it ends. Events ``visible`` refuses are skipped (an API key sees
    those of its scopes only)."""
    try:
        async for line in _stream(
            db,
            wakeups,
            user_id,
            last_event_id,
            keepalive_seconds,
            stopping,
            authorised,
            reauth_seconds,
            slot,
            expand,
            visible,
        ):
            yield line
    finally:
        if slot is not None:
            # A closed connection cancels the stream; the slot must still come back now
            # rather than when it expires, or a few reloads lock the user out.
            with anyio.CancelScope(shield=True):
                await slot.release()


class Lease:
    """A stream's slot: renewed while the stream runs, released when it ends."""

    def __init__(self, slots: StreamSlots, slot: StreamSlot) -> None:
        self._slots = slots
        self._slot = slot

    @property
    def renew_every(self) -> float:
        return self._slots.renew_every

    async def renew(self) -> None:
        await self._slots.renew(self._slot)

    async def release(self) -> None:
        await self._slots.release(self._slot)


async def _stream(
    db: Database,
    wakeups: Wakeups,
    user_id: uuid.UUID,
    last_event_id: int | None,
    keepalive_seconds: float,
    stopping: asyncio.Event,
    authorised: Callable[[], Awaitable[bool]] | None,
    reauth_seconds: float,
    slot: Lease | None,
    expand: Expander | None,
    visible: Visible | None,
) -> AsyncGenerator[str, None]:
    # Listen before reading the log, so a wake-up between the two is not missed.
    with wakeups.listen(user_id) as listener:
        woken = listener.woken
        if last_event_id is None:
            async with db.reads() as session:
                last_event_id = await user_events_repo.last_id(session, user_id)
        yield f"retry: {RETRY_MILLISECONDS}\n: connected\n\n"
        loop = asyncio.get_running_loop()
        last_sent = last_checked = last_renewed = last_read = loop.time()
        renew_seconds = slot.renew_every if slot is not None else reauth_seconds
        while not stopping.is_set():
            if slot is not None and loop.time() - last_renewed >= renew_seconds:
                await slot.renew()
                last_renewed = loop.time()
            if authorised is not None and loop.time() - last_checked >= reauth_seconds:
                if not await authorised():
                    yield SESSION_ENDED
                    return
                last_checked = loop.time()
            woken.clear()
            sent_ephemeral = False
            while listener.ephemeral:
                line = format_ephemeral(listener.ephemeral.popleft(), visible)
                if line is not None:
                    sent_ephemeral = True
                    yield line
            events: list[UserEvent] = []
            if listener.log_due:
                listener.log_due = False
                last_read = loop.time()
                async with db.reads() as session:
                    events = list(await user_events_repo.after(session, user_id, last_event_id))
            for event in events:
                last_event_id = event.id
                if visible is not None and not visible(event.type):
                    continue
                yield format_event(event, await expand(event) if expand is not None else None)
            if sent_ephemeral or events:
                last_sent = loop.time()
            if events:
                # A full page may have more behind it.
                listener.log_due = True
                continue
            if loop.time() - last_sent >= keepalive_seconds:
                yield ": keepalive\n\n"
                last_sent = loop.time()
            poll = SUBSCRIBED_POLL_SECONDS if wakeups.subscribed else POLL_SECONDS
            try:
                wait = min(poll, keepalive_seconds, reauth_seconds, renew_seconds)
                async with asyncio.timeout(wait):
                    await _first_of(woken, stopping)
            except TimeoutError:
                # Wake-ups are at most once: read the log anyway now and then.
                # (a timeout may fire up to the clock's resolution early: hence the slack)
                if loop.time() - last_read >= poll - 0.01:
                    listener.log_due = True
        # The server is going away: say so and end, so shutdown need not wait for us; the
        # client reconnects (to this server when it is back, or another) with Last-Event-ID.
        yield ": server shutting down\n\n"


async def _first_of(*events: asyncio.Event) -> None:
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
