"""Operator commands received by running workers: pause, seek, commit, resume.

Kafka refuses offset commits from outside an active consumer group, so a replay against a
running system is carried out by the group's own members, each on the partitions it owns.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket

import structlog
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import OffsetAndMetadata
from faststream.kafka import KafkaBroker
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from consumers.runtime import ReprocessWindows
from infra.settings import ControlSettings, get_settings
from infra.signing import InvalidSignatureError, sign, verify
from schemas.control import CONTROL_CHANNEL, REPLY_CHANNEL, SeekCommand, SeekReply

log = structlog.get_logger(__name__)

INSTANCE = f"{socket.gethostname()}:{os.getpid()}"


def _consumers(broker: KafkaBroker) -> list[AIOKafkaConsumer]:
    found = [getattr(subscriber, "consumer", None) for subscriber in broker.subscribers]
    return [consumer for consumer in found if consumer is not None]


async def apply_seek(
    broker: KafkaBroker, command: SeekCommand, windows: ReprocessWindows
) -> list[int]:
    """Seek this instance's partitions of the command's topic; returns those moved."""
    moved: list[int] = []
    for consumer in _consumers(broker):
        owned = [tp for tp in consumer.assignment() if tp.topic == command.topic]
        targets = {
            tp: command.offsets[tp.partition] for tp in owned if tp.partition in command.offsets
        }
        if not targets:
            continue
        consumer.pause(*targets)
        try:
            for tp, offset in targets.items():
                consumer.seek(tp, offset)
                if command.reprocess:
                    end = command.ends.get(tp.partition, offset)
                    windows.open(tp.topic, tp.partition, offset, end, command.id)
            # Committed at once, so the replay survives a restart of this worker.
            await consumer.commit(
                {tp: OffsetAndMetadata(offset, "") for tp, offset in targets.items()}
            )
        finally:
            consumer.resume(*targets)
        moved.extend(tp.partition for tp in targets)
    return sorted(moved)


async def serve_commands(
    name: str,
    broker: KafkaBroker,
    redis: Redis,
    windows: ReprocessWindows,
    stopping: asyncio.Event,
    control: ControlSettings | None = None,
) -> None:
    """Listen for operator commands addressed to group ``name`` until ``stopping``.

    Only commands signed with the control key, recent and not seen before, are applied.
    """
    control = control or get_settings().control
    seen: dict[str, float] = {}
    while not stopping.is_set():
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(CONTROL_CHANNEL)
            while not stopping.is_set():
                message = await pubsub.get_message(timeout=1.0)
                if message is not None:
                    await _handle(name, broker, redis, windows, message["data"], control, seen)
        except (RedisError, OSError) as exc:
            log.warning("control channel unavailable", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=2)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _handle(
    name: str,
    broker: KafkaBroker,
    redis: Redis,
    windows: ReprocessWindows,
    data: str,
    control: ControlSettings,
    seen: dict[str, float],
) -> None:
    try:
        body = verify(control.key(), data, max_age_seconds=control.max_age_seconds)
        command = SeekCommand.model_validate_json(body)
    except InvalidSignatureError as exc:
        log.warning("unsigned or invalid control message ignored", reason=str(exc))
        return
    except ValidationError:
        log.warning("unknown control message ignored")
        return
    if command.group != name:
        return
    # A signed command captured off Redis and sent again within its age is not re-applied.
    now = asyncio.get_running_loop().time()
    for old_id in [i for i, at in seen.items() if now - at > control.max_age_seconds * 2]:
        del seen[old_id]
    if command.id in seen:
        log.warning("repeated control command ignored", command_id=command.id)
        return
    seen[command.id] = now
    moved = await apply_seek(broker, command, windows)
    log.info(
        "replay applied",
        topic=command.topic,
        partitions=moved,
        reprocess=command.reprocess,
        command_id=command.id,
    )
    reply = SeekReply(command_id=command.id, instance=INSTANCE, group=name, partitions=moved)
    await redis.publish(REPLY_CHANNEL, sign(control.key(), reply.model_dump_json()))
