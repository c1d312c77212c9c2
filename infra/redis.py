"""Redis client and the pub/sub channel names that wake SSE streams."""

from __future__ import annotations

import uuid

from redis.asyncio import Redis


def make_redis(url: str) -> Redis:
    return Redis.from_url(url, decode_responses=True, health_check_interval=30)


USER_CHANNEL_PREFIX = "user-events:"


def user_channel(user_id: uuid.UUID) -> str:
    return f"{USER_CHANNEL_PREFIX}{user_id}"


# Ephemeral coach reply deltas, relayed to the user's open SSE streams (never logged).
COACH_CHANNEL_PREFIX = "coach-stream:"


def coach_channel(user_id: uuid.UUID) -> str:
    return f"{COACH_CHANNEL_PREFIX}{user_id}"
