"""Redis access alone cannot move a consumer group: workers apply only signed commands."""

from __future__ import annotations

import asyncio

from infra.redis import make_redis
from infra.signing import sign
from schemas.control import CONTROL_CHANNEL, REPLY_CHANNEL, SeekCommand
from tests.support.system import RunningSystem, wait_for


async def _replies_to(system: RunningSystem, payload: str, seconds: float) -> list[str]:
    redis = make_redis(system.settings.redis.url or "")
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    replies: list[str] = []
    try:
        await pubsub.subscribe(REPLY_CHANNEL)

        async def listened() -> bool:
            return (await redis.pubsub_numsub(CONTROL_CHANNEL))[0][1] > 0

        await wait_for(listened, timeout=20, what="a worker to listen for control commands")
        await redis.publish(CONTROL_CHANNEL, payload)
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            message = await pubsub.get_message(timeout=0.2)
            if message is not None:
                replies.append(message["data"])
    finally:
        await pubsub.aclose()
        await redis.aclose()
    return replies


async def test_unsigned_or_replayed_commands_are_ignored(system: RunningSystem) -> None:
    # Offsets for a partition that does not exist: a command that is applied moves nothing,
    # but its worker still answers, which is what tells applied from ignored.
    command = SeekCommand(group="parsing", topic="cv.uploaded", offsets={999: 0}, ends={999: 0})
    key = system.settings.control.key()

    unsigned = await _replies_to(system, command.model_dump_json(), seconds=2)
    signed = sign(key, command.model_dump_json())
    first = await _replies_to(system, signed, seconds=3)
    replayed = await _replies_to(system, signed, seconds=2)

    assert unsigned == []
    assert len(first) == 1
    assert command.id in first[0]
    assert replayed == []
