"""``recoloca replay``: move a consumer group back (or forward) on a topic.

The plan is computed from the broker (committed offsets, beginning, end, offsets for a
time). It is then carried out by the group's running members over the control channel
— Kafka rejects commits from outside an active group — or, when no member answers,
committed directly for the idle group.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime

import structlog
from aiokafka import TopicPartition
from aiokafka.structs import OffsetAndMetadata
from redis.asyncio import Redis

from infra.settings import ControlSettings, KafkaSettings, get_settings
from infra.signing import InvalidSignatureError, sign, verify
from producers.kafka_admin import NoSuchTopicError, offsets_at, offsets_reader, partitions_of
from schemas.control import CONTROL_CHANNEL, REPLY_CHANNEL, SeekCommand, SeekReply
from schemas.topics import CONSUMER_GROUPS, group_topics

log = structlog.get_logger(__name__)


class InvalidReplayError(ValueError):
    """The replay asked for cannot be planned as given (what to change is in the message)."""


class UnknownGroupError(LookupError):
    def __init__(self, group: str) -> None:
        super().__init__(f"no worker's consumer group is called {group!r}")
        self.group = group


class TopicNotReadError(LookupError):
    def __init__(self, group: str, topic: str) -> None:
        super().__init__(f"group {group!r} reads {', '.join(group_topics(group))}, not {topic!r}")


class NoRunningWorkerError(RuntimeError):
    """A reprocess needs the group's running members; some partitions had none."""


@dataclass(frozen=True)
class PartitionPlan:
    partition: int
    committed: int | None
    target: int
    end: int

    @property
    def to_reconsume(self) -> int:
        """Messages that will be delivered again (or skipped, when negative)."""
        return (self.committed if self.committed is not None else self.end) - self.target


@dataclass(frozen=True)
class ReplayPlan:
    group: str
    topic: str
    partitions: list[PartitionPlan]
    reprocess: bool

    @property
    def total(self) -> int:
        return sum(max(p.to_reconsume, 0) for p in self.partitions)

    def command(self) -> SeekCommand:
        return SeekCommand(
            group=self.group,
            topic=self.topic,
            offsets={p.partition: p.target for p in self.partitions},
            ends={p.partition: p.end for p in self.partitions},
            reprocess=self.reprocess,
        )


@dataclass(frozen=True)
class ReplayResult:
    by_members: dict[str, list[int]]
    committed_directly: list[int]


async def plan_replay(
    settings: KafkaSettings,
    *,
    group: str,
    topic: str,
    from_beginning: bool = False,
    from_offset: int | None = None,
    since: datetime | None = None,
    reprocess: bool = False,
) -> ReplayPlan:
    if sum([from_beginning, from_offset is not None, since is not None]) != 1:
        raise InvalidReplayError("give exactly one of --from-beginning, --from-offset, --since")
    if group not in CONSUMER_GROUPS:
        raise UnknownGroupError(group)
    if topic not in group_topics(group):
        # Committing offsets a group never reads would change nothing but its lag report.
        raise TopicNotReadError(group, topic)
    at_time = await offsets_at(settings, topic, since) if since else {}
    async with offsets_reader(settings, group) as consumer:
        partitions = await partitions_of(consumer, topic)
        if not partitions:
            raise NoSuchTopicError(topic)
        beginnings = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        plans = []
        for tp in partitions:
            if from_beginning:
                target = beginnings[tp]
            elif from_offset is not None:
                target = min(max(from_offset, beginnings[tp]), ends[tp])
            else:
                target = at_time[tp.partition]
            plans.append(
                PartitionPlan(tp.partition, await consumer.committed(tp), target, ends[tp])
            )
    return ReplayPlan(group, topic, plans, reprocess)


async def execute_replay(
    settings: KafkaSettings,
    redis: Redis,
    plan: ReplayPlan,
    wait_seconds: float = 10.0,
    control: ControlSettings | None = None,
) -> ReplayResult:
    """Ask the running members to seek; commit directly what no member owns once the
    group is idle. Raises if partitions remain that neither way could move.

    The command and the members' replies are signed with the control key."""
    control = control or get_settings().control
    key = control.key()
    command = plan.command()
    wanted = set(command.offsets)
    by_members: dict[str, list[int]] = {}
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(REPLY_CHANNEL)
    try:
        listeners = await redis.publish(CONTROL_CHANNEL, sign(key, command.model_dump_json()))
        if listeners:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + wait_seconds
            covered: set[int] = set()
            # Members answer with what they own; stop once every partition is covered.
            while covered != wanted and loop.time() < deadline:
                message = await pubsub.get_message(timeout=min(0.5, deadline - loop.time()))
                if message is None:
                    continue
                try:
                    body = verify(key, message["data"], max_age_seconds=control.max_age_seconds)
                except InvalidSignatureError:
                    log.warning("unsigned or invalid control reply ignored")
                    continue
                reply = SeekReply.model_validate_json(body)
                if reply.command_id == command.id:
                    by_members[reply.instance] = reply.partitions
                    covered.update(reply.partitions)
    finally:
        with contextlib.suppress(Exception):
            await pubsub.aclose()  # type: ignore[no-untyped-call]
    moved = {p for partitions in by_members.values() for p in partitions}
    rest = sorted(wanted - moved)
    if rest and plan.reprocess:
        # Only running members can tell a re-run from a replay; an idle group cannot.
        raise NoRunningWorkerError(
            f"no running {plan.group!r} worker took partitions {rest}: start the workers for --reprocess"
        )
    if rest:
        await _commit_idle_group(settings, plan, rest)
    log.info("replay done", group=plan.group, topic=plan.topic, members=by_members, direct=rest)
    return ReplayResult(by_members=by_members, committed_directly=rest)


async def _commit_idle_group(
    settings: KafkaSettings, plan: ReplayPlan, partitions: list[int]
) -> None:
    """Commit offsets for partitions no running member owns (the group has no members)."""
    targets = {p.partition: p.target for p in plan.partitions if p.partition in partitions}
    async with offsets_reader(settings, plan.group) as consumer:
        tps = [TopicPartition(plan.topic, p) for p in targets]
        consumer.assign(tps)
        await consumer.commit(
            {TopicPartition(plan.topic, p): OffsetAndMetadata(o, "") for p, o in targets.items()}
        )
