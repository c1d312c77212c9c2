"""Read-only views of the bus for operators: topics, offsets, consumer groups and lag.

A group's committed offsets are read with a consumer that names the group but never
joins it (``committed``): the admin API's offset listing is not portable across brokers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from aiokafka import AIOKafkaConsumer, TopicPartition

from infra.kafka import require_bootstrap
from infra.settings import KafkaSettings
from schemas.topics import CONSUMER_GROUPS, group_topics


class NoSuchTopicError(LookupError):
    def __init__(self, topic: str) -> None:
        super().__init__(f"topic {topic!r} does not exist")
        self.topic = topic


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    beginning: int
    end: int


@dataclass(frozen=True)
class GroupPartition:
    group: str
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        # A broker's end offset may trail a just-committed position for a moment.
        return max(self.end - (self.committed or 0), 0)


@asynccontextmanager
async def offsets_reader(
    settings: KafkaSettings, group: str | None = None
) -> AsyncIterator[AIOKafkaConsumer]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=require_bootstrap(settings), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    await consumer.topics()  # refreshes the metadata
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


async def topic_offsets(
    settings: KafkaSettings, topics: list[str] | None = None
) -> list[PartitionOffsets]:
    async with offsets_reader(settings) as consumer:
        names = sorted(topics or await consumer.topics())
        result: list[PartitionOffsets] = []
        for name in names:
            partitions = await partitions_of(consumer, name)
            if not partitions:
                continue
            beginnings = await consumer.beginning_offsets(partitions)
            ends = await consumer.end_offsets(partitions)
            result += [
                PartitionOffsets(name, tp.partition, beginnings[tp], ends[tp]) for tp in partitions
            ]
        return result


async def group_offsets(
    settings: KafkaSettings, group: str, topics: list[str]
) -> list[GroupPartition]:
    async with offsets_reader(settings, group) as consumer:
        result: list[GroupPartition] = []
        for topic in topics:
            partitions = await partitions_of(consumer, topic)
            if not partitions:
                continue
            ends = await consumer.end_offsets(partitions)
            for tp in partitions:
                committed = await consumer.committed(tp)
                result.append(GroupPartition(group, topic, tp.partition, committed, ends[tp]))
        return result


async def worker_groups(settings: KafkaSettings) -> dict[str, list[GroupPartition]]:
    """Every worker's consumer group: committed offset and lag on each topic it reads."""
    return {
        group: await group_offsets(settings, group, group_topics(group))
        for group in CONSUMER_GROUPS
    }


async def offsets_at(settings: KafkaSettings, topic: str, when: datetime) -> dict[int, int]:
    """Per partition, the first offset at or after ``when`` (the end when there is none)."""
    async with offsets_reader(settings) as consumer:
        partitions = await partitions_of(consumer, topic)
        ends = await consumer.end_offsets(partitions)
        found = await consumer.offsets_for_times(
            {tp: int(when.timestamp() * 1000) for tp in partitions}
        )
        result = {}
        for tp in partitions:
            hit = found.get(tp)
            # Some brokers answer an empty partition with offset 0 / timestamp -1, not None.
            valid = hit is not None and hit.timestamp >= 0
            result[tp.partition] = hit.offset if valid and hit is not None else ends[tp]
        return result
