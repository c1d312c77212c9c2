"""Budgets and stream slots over the real Redis, and what they do when Redis is away."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from limits import parse_many
from pydantic import ValidationError
from redis.asyncio import Redis

from infra.ratelimit import (
    Bucket,
    RateLimitedError,
    RateLimiter,
    StreamSlots,
    TooManyStreamsError,
)
from infra.redis import make_redis
from infra.settings import Environment, RateLimitSettings, Settings
from tests.support.system import wait_for

DEAD_REDIS = "redis://127.0.0.1:1/0"
SECRET = b"test-secret"


def _limits(**overrides: object) -> RateLimitSettings:
    # A prefix of its own: counters start empty whatever ran before.
    return RateLimitSettings(key_prefix=f"test-{uuid.uuid4().hex}", **overrides)


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    assert settings.redis.url is not None
    client = make_redis(settings.redis.url)
    yield client
    await client.aclose()


async def _spend(limiter: RateLimiter, bucket: Bucket, identity: str, times: int) -> list[bool]:
    allowed = []
    for _ in range(times):
        try:
            await limiter.hit(bucket, identity)
        except RateLimitedError:
            allowed.append(False)
        else:
            allowed.append(True)
    return allowed


async def test_a_budget_allows_its_limit_then_says_when_to_retry(settings: Settings) -> None:
    assert settings.redis.url is not None
    limiter = RateLimiter(_limits(uploads="3 per minute"), settings.redis.url, secret=SECRET)
    try:
        assert await _spend(limiter, Bucket.UPLOADS, "user:a", 3) == [True] * 3
        with pytest.raises(RateLimitedError) as refused:
            await limiter.hit(Bucket.UPLOADS, "user:a")
        # Another identity, or another bucket of the same one, has its own budget.
        await limiter.hit(Bucket.UPLOADS, "user:b")
        await limiter.hit(Bucket.COACH, "user:a")
    finally:
        await limiter.aclose()
    assert refused.value.bucket is Bucket.UPLOADS
    assert 1 <= refused.value.retry_after <= 60


async def test_processes_share_one_budget_through_redis(settings: Settings) -> None:
    assert settings.redis.url is not None
    limits = _limits(registration="4 per minute")
    first, second = (
        RateLimiter(limits, settings.redis.url, secret=SECRET),
        RateLimiter(limits, settings.redis.url, secret=SECRET),
    )
    try:
        assert await _spend(first, Bucket.REGISTRATION, "ip:10.0.0.1", 2) == [True, True]
        assert await _spend(second, Bucket.REGISTRATION, "ip:10.0.0.1", 3) == [True, True, False]
        assert await _spend(first, Bucket.REGISTRATION, "ip:10.0.0.1", 1) == [False]
    finally:
        await first.aclose()
        await second.aclose()


async def test_every_limit_of_a_bucket_applies(settings: Settings) -> None:
    assert settings.redis.url is not None
    limiter = RateLimiter(
        _limits(general="100 per hour; 2 per minute"), settings.redis.url, secret=SECRET
    )
    try:
        assert await _spend(limiter, Bucket.GENERAL, "user:a", 3) == [True, True, False]
    finally:
        await limiter.aclose()


async def test_disabled_limits_allow_everything(settings: Settings) -> None:
    assert settings.redis.url is not None
    limiter = RateLimiter(
        _limits(enabled=False, login_account="1 per hour"), settings.redis.url, secret=SECRET
    )
    try:
        assert await _spend(limiter, Bucket.LOGIN_ACCOUNT, "email:a@b.c", 5) == [True] * 5
    finally:
        await limiter.aclose()


async def test_without_redis_each_process_still_enforces_the_limits() -> None:
    limiter = RateLimiter(_limits(login_account="10 per 15 minutes"), DEAD_REDIS, secret=SECRET)
    try:
        allowed = await _spend(limiter, Bucket.LOGIN_ACCOUNT, "email:a@b.c", 11)
        with pytest.raises(RateLimitedError) as refused:
            await limiter.hit(Bucket.LOGIN_ACCOUNT, "email:a@b.c")
    finally:
        await limiter.aclose()
    assert allowed == [True] * 10 + [False]
    assert refused.value.retry_after >= 1


@pytest.fixture
async def silent_redis() -> AsyncIterator[str]:
    """A server that accepts connections and never answers: a hung Redis."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"redis://127.0.0.1:{port}/0"
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hung_redis_costs_one_timeout_not_one_per_request(silent_redis: str) -> None:
    limiter = RateLimiter(
        _limits(login_account="3 per minute", redis_timeout_seconds=0.2, redis_retry_seconds=30),
        silent_redis,
        secret=SECRET,
    )
    try:
        started = time.monotonic()
        allowed = await _spend(limiter, Bucket.LOGIN_ACCOUNT, "email:a@b.c", 50)
        elapsed = time.monotonic() - started
    finally:
        await limiter.aclose()
    assert allowed == [True] * 3 + [False] * 47
    assert elapsed < 1.5, elapsed


async def test_stream_slots_do_not_wait_on_a_hung_redis(silent_redis: str) -> None:
    hung = make_redis(silent_redis)
    slots = StreamSlots(hung, _limits(sse_streams=1, redis_timeout_seconds=0.2))
    try:
        started = time.monotonic()
        slot = await slots.acquire("user-1")
        with pytest.raises(TooManyStreamsError):
            await slots.acquire("user-1")
        elapsed = time.monotonic() - started
    finally:
        await hung.aclose()
    assert not slot.shared
    assert elapsed < 1.0, elapsed


async def test_a_redis_url_on_a_unix_socket_is_accepted() -> None:
    limiter = RateLimiter(_limits(), "unix:///nonexistent/redis.sock", secret=SECRET)
    try:
        # No server there: the fallback counts, which shows the URL was understood.
        await limiter.hit(Bucket.GENERAL, "user:a")
    finally:
        await limiter.aclose()


async def test_stream_slots_cap_open_streams_per_owner(redis: Redis) -> None:
    slots = StreamSlots(redis, _limits(sse_streams=2))
    first = await slots.acquire("user-1")
    second = await slots.acquire("user-1")
    with pytest.raises(TooManyStreamsError) as refused:
        await slots.acquire("user-1")
    other = await slots.acquire("user-2")
    await slots.release(first)
    third = await slots.acquire("user-1")
    assert all(slot.shared for slot in (first, second, third, other))
    assert refused.value.cap == 2
    assert refused.value.retry_after >= 1


async def test_slots_of_a_crashed_process_expire(redis: Redis) -> None:
    limits = _limits(sse_streams=2, sse_slot_seconds=1)
    crashed = StreamSlots(redis, limits)
    await crashed.acquire("user-1")
    held = await crashed.acquire("user-1")
    await crashed.renew(held)  # renewing is what a live process does; this one then dies
    survivor = StreamSlots(redis, limits)

    async def acquired() -> bool:
        try:
            await survivor.acquire("user-1")
        except TooManyStreamsError:
            return False
        return True

    assert await wait_for(acquired, timeout=5, what="the dead process's slots to expire")
    assert await redis.ttl(f"{limits.key_prefix}:streams:user-1") > 0


async def test_a_renewed_slot_outlives_its_first_expiry(redis: Redis) -> None:
    limits = _limits(sse_streams=1, sse_slot_seconds=1)
    slots = StreamSlots(redis, limits)
    slot = await slots.acquire("user-1")
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        await slots.renew(slot)
        with pytest.raises(TooManyStreamsError):
            await slots.acquire("user-1")
        await asyncio.sleep(0.3)  # time passing is what is tested here


async def test_without_redis_stream_slots_are_counted_per_process() -> None:
    dead = make_redis(DEAD_REDIS)
    slots = StreamSlots(dead, _limits(sse_streams=2))
    try:
        first = await slots.acquire("user-1")
        await slots.acquire("user-1")
        with pytest.raises(TooManyStreamsError):
            await slots.acquire("user-1")
        await slots.renew(first)  # nothing to renew in memory, and no error either
        await slots.release(first)
        await slots.acquire("user-1")
    finally:
        await dead.aclose()
    assert not first.shared


async def test_disabled_stream_slots_are_unlimited_and_still_counted(redis: Redis) -> None:
    slots = StreamSlots(redis, _limits(enabled=False, sse_streams=1))
    held = [await slots.acquire("user-1") for _ in range(3)]
    # Counted all the same: whether the user is watching decides which notices are mailed.
    assert await slots.open_count("user-1") == 3
    await slots.release(held[0])
    assert await slots.open_count("user-1") == 2


def test_limits_come_from_ratelimit_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOLOCA_RATELIMIT_LOGIN_ACCOUNT", "5 per minute")
    monkeypatch.setenv("RECOLOCA_RATELIMIT_SSE_STREAMS", "3")
    monkeypatch.setenv("RECOLOCA_RATELIMIT_ENABLED", "false")
    settings = Settings()
    assert settings.ratelimit.login_account == "5 per minute"
    assert settings.ratelimit.sse_streams == 3
    assert settings.ratelimit.enabled is False


def test_the_shipped_log_in_budget_refuses_the_eleventh_guess() -> None:
    limits = parse_many(RateLimitSettings().login_account)
    assert min(limit.amount for limit in limits) <= 10


def test_a_limit_that_does_not_parse_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOLOCA_RATELIMIT_UPLOADS", "lots")
    with pytest.raises(ValidationError, match="not a rate limit"):
        Settings()


def test_production_refuses_disabled_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH_SECRET_KEY", "CONTROL_SIGNING_KEY", "CRYPTO_MASTER_KEY"):
        monkeypatch.setenv(f"RECOLOCA_{name}", "k" * 40)
    monkeypatch.setenv("RECOLOCA_MFA_ENCRYPTION_KEY", "m" * 40)
    monkeypatch.setenv("RECOLOCA_ENV", "production")
    assert Settings().env is Environment.PRODUCTION
    monkeypatch.setenv("RECOLOCA_RATELIMIT_ENABLED", "false")
    with pytest.raises(ValidationError, match="RECOLOCA_RATELIMIT_ENABLED"):
        Settings()


async def test_identities_are_not_readable_in_redis(settings: Settings, redis: Redis) -> None:
    assert settings.redis.url is not None
    limits = _limits()
    limiter = RateLimiter(limits, settings.redis.url, secret=SECRET)
    try:
        await limiter.hit(Bucket.LOGIN_ACCOUNT, "email:ana.silva@example.com")
        await limiter.hit(Bucket.LOGIN_IP, "ip:203.0.113.9")
    finally:
        await limiter.aclose()
    keys = [key async for key in redis.scan_iter(f"{limits.key_prefix}*")]
    assert len(keys) == 2
    assert not any("ana" in key or "example.com" in key or "203.0.113" in key for key in keys)
