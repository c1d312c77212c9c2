"""Request budgets and event-stream slots, counted in Redis so every API process shares them.

Budgets use the ``limits`` library's moving window. When Redis does not answer (down,
or slower than ``redis_timeout_seconds``), each process counts in memory with the same
limits until Redis answers again: a budget then holds per process (N processes allow
N times as much) but is never lifted, so an outage does not open log-in to guessing.
Stream slots fall back the same way, to a count of this process's own streams.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import structlog
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool, Redis
from redis.exceptions import RedisError

from infra.settings import RateLimitSettings

log = structlog.get_logger(__name__)

T = TypeVar("T")


class Bucket(StrEnum):
    """What a budget counts; each is the ``RateLimitSettings`` field of the same name."""

    LOGIN_ACCOUNT = "login_account"
    LOGIN_IP = "login_ip"
    REGISTRATION = "registration"
    PASSWORD_RESET = "password_reset"
    UPLOADS = "uploads"
    COACH = "coach"
    GENERAL = "general"


class RateLimitedError(Exception):
    """A budget is spent; ``retry_after`` seconds from now it allows again."""

    def __init__(self, bucket: Bucket, retry_after: int) -> None:
        super().__init__(f"rate limit {bucket} reached; retry after {retry_after}s")
        self.bucket = bucket
        self.retry_after = retry_after


def _limits_uri(redis_url: str) -> str:
    # ``limits`` picks its storage by scheme: the same server, named its way.
    if redis_url.startswith("unix://"):
        return "async+redis+" + redis_url
    return "async+" + redis_url


class _Fallback:
    """Remembers that Redis failed, so requests do not each wait for it while it is away."""

    def __init__(self, retry_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self._down_until = 0.0

    @property
    def active(self) -> bool:
        return time.monotonic() < self._down_until

    def redis_failed(self, what: str, exc: BaseException) -> None:
        if not self.active:
            log.warning("redis unavailable, counting in memory", what=what, error=repr(exc))
        self._down_until = time.monotonic() + self.retry_seconds


class RateLimiter:
    """``hit(bucket, identity)`` spends one unit of the identity's budget or raises
    ``RateLimitedError``."""

    def __init__(self, settings: RateLimitSettings, redis_url: str, *, secret: bytes) -> None:
        self.enabled = settings.enabled
        self._secret = secret
        self._items: dict[Bucket, list[RateLimitItem]] = {
            bucket: parse_many(getattr(settings, bucket.value)) for bucket in Bucket
        }
        # Our own pool, with short timeouts: a slow Redis must not hold up every request.
        self._pool: ConnectionPool = ConnectionPool.from_url(
            redis_url,
            socket_timeout=settings.redis_timeout_seconds,
            socket_connect_timeout=settings.redis_timeout_seconds,
        )
        self._storage = RedisStorage(
            _limits_uri(redis_url),
            wrap_exceptions=True,
            implementation="redispy",
            key_prefix=settings.key_prefix,
            connection_pool=self._pool,  # type: ignore[arg-type]
        )
        self._shared = MovingWindowRateLimiter(self._storage)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._fallback = _Fallback(settings.redis_retry_seconds)

    def limits_of(self, bucket: Bucket) -> list[RateLimitItem]:
        return self._items[bucket]

    async def hit(self, bucket: Bucket, identity: str) -> None:
        if not self.enabled:
            return
        # Identities (addresses, e-mails) never reach Redis readable: keys hold their HMAC.
        identity = hmac.new(self._secret, identity.encode(), hashlib.sha256).hexdigest()[:32]
        for item in self._items[bucket]:
            limiter = await self._hit(item, bucket, identity)
            if limiter is not None:
                raise RateLimitedError(
                    bucket, await self._retry_after(limiter, item, bucket, identity)
                )

    async def _hit(
        self, item: RateLimitItem, bucket: Bucket, identity: str
    ) -> MovingWindowRateLimiter | None:
        """None when allowed, else the limiter that refused (to ask it when it allows)."""
        if not self._fallback.active:
            try:
                allowed = await self._shared.hit(item, bucket.value, identity)
            except StorageError as exc:
                self._fallback.redis_failed("rate limits", exc.storage_error)
            else:
                return None if allowed else self._shared
        allowed = await self._local.hit(item, bucket.value, identity)
        return None if allowed else self._local

    async def _retry_after(
        self, limiter: MovingWindowRateLimiter, item: RateLimitItem, bucket: Bucket, identity: str
    ) -> int:
        try:
            stats = await limiter.get_window_stats(item, bucket.value, identity)
        except StorageError as exc:
            self._fallback.redis_failed("rate limits", exc.storage_error)
            return item.get_expiry()
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def aclose(self) -> None:
        await self._pool.disconnect()


# Drops expired slots, then takes one if fewer than the cap are held; atomic in Redis.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
return 1
"""


@dataclass(frozen=True)
class StreamSlot:
    """One open stream's claim; ``shared`` is False when it was counted in memory."""

    owner: str
    slot_id: str
    shared: bool


class TooManyStreamsError(Exception):
    def __init__(self, cap: int, retry_after: int) -> None:
        super().__init__(f"at most {cap} open streams")
        self.cap = cap
        self.retry_after = retry_after


class StreamSlots:
    """At most ``cap`` open streams per owner across processes: each stream holds a member
    of a Redis sorted set scored by its expiry and renews it while it runs.

    Streams are counted even with rate limiting off (then without a cap): whether the
    user is watching decides which notices are mailed."""

    def __init__(self, redis: Redis, settings: RateLimitSettings) -> None:
        self.enabled = settings.enabled
        self.cap = settings.sse_streams
        self._shared_cap = settings.sse_streams if settings.enabled else 2**31
        self.ttl = settings.sse_slot_seconds
        self._redis = redis
        self._timeout = settings.redis_timeout_seconds
        self._prefix = f"{settings.key_prefix}:streams:"
        self._local: defaultdict[str, set[str]] = defaultdict(set)
        self._fallback = _Fallback(settings.redis_retry_seconds)
        self._acquire = redis.register_script(_ACQUIRE)

    @property
    def renew_every(self) -> float:
        return self.ttl / 3

    async def acquire(self, owner: str) -> StreamSlot:
        slot_id = uuid.uuid4().hex
        if not self._fallback.active:
            now = time.time()
            try:
                taken = await self._run(
                    self._acquire(
                        keys=[self._prefix + owner],
                        args=[now, now + self.ttl, self._shared_cap, slot_id],
                    )
                )
            except (RedisError, OSError, TimeoutError) as exc:
                self._fallback.redis_failed("stream slots", exc)
            else:
                if not taken:
                    raise TooManyStreamsError(self.cap, math.ceil(self.renew_every))
                return StreamSlot(owner, slot_id, shared=True)
        if not self.enabled:
            return StreamSlot(owner, slot_id, shared=False)
        held = self._local[owner]
        if len(held) >= self.cap:
            raise TooManyStreamsError(self.cap, math.ceil(self.renew_every))
        held.add(slot_id)
        return StreamSlot(owner, slot_id, shared=False)

    async def renew(self, slot: StreamSlot) -> None:
        if not slot.shared:
            return
        try:
            key = self._prefix + slot.owner
            expires = time.time() + self.ttl
            await self._run(self._redis.zadd(key, {slot.slot_id: expires}, xx=True))
            # The newest renewal always expires last: the key lives as long as its last slot.
            await self._run(self._redis.pexpireat(key, math.ceil(expires * 1000)))
        except (RedisError, OSError, TimeoutError) as exc:
            # The slot expires on its own; the stream goes on rather than dropping the user.
            self._fallback.redis_failed("stream slots", exc)

    async def release(self, slot: StreamSlot) -> None:
        if not slot.shared:
            held = self._local.get(slot.owner)
            if held is not None:
                held.discard(slot.slot_id)
                if not held:
                    del self._local[slot.owner]
            return
        try:
            await self._run(self._redis.zrem(self._prefix + slot.owner, slot.slot_id))
        except (RedisError, OSError, TimeoutError) as exc:
            self._fallback.redis_failed("stream slots", exc)

    async def open_count(self, owner: str) -> int | None:
        """How many streams ``owner`` has open across processes; None when that cannot be
        known (Redis does not answer)."""
        try:
            found = await self._run(self._redis.zcount(self._prefix + owner, time.time(), "+inf"))
        except (RedisError, OSError, TimeoutError):
            return None
        return int(found)

    async def _run(self, call: Awaitable[T]) -> T:
        async with asyncio.timeout(self._timeout):
            return await call
