"""The operator's bus tools over HTTP: the same functions ``recoloca`` runs, plus the audit
trail of whoever replays or redrives (the shell has no signed-in actor to record)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from aiokafka.errors import KafkaError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit
from api.services.audit import RequestMeta
from api.services.errors import (
    BrokerUnavailableError,
    ConsumerGroupNotFoundError,
    ControlChannelUnavailableError,
    DeadLetterNotFoundError,
    InvalidReplayError,
    NoRunningWorkerError,
    TopicNotFoundError,
    TopicNotReadError,
)
from infra.db.session import Database
from infra.settings import ControlSettings, KafkaSettings
from producers import dead_letters, kafka_admin, replay
from producers.dead_letters import DeadLetter, LetterPage, LetterState
from producers.kafka_admin import GroupPartition, PartitionOffsets
from producers.replay import ReplayPlan, ReplayResult


@asynccontextmanager
async def _bus() -> AsyncIterator[None]:
    """The producers' errors, as the API's: what is missing is a 404, the broker down a 503."""
    try:
        yield
    except kafka_admin.NoSuchTopicError as exc:
        raise TopicNotFoundError(str(exc)) from exc
    except dead_letters.NoSuchDeadLetterError as exc:
        raise DeadLetterNotFoundError(str(exc)) from exc
    except replay.UnknownGroupError as exc:
        raise ConsumerGroupNotFoundError(str(exc)) from exc
    except replay.TopicNotReadError as exc:
        raise TopicNotReadError(str(exc)) from exc
    except replay.InvalidReplayError as exc:
        raise InvalidReplayError(str(exc)) from exc
    except replay.NoRunningWorkerError as exc:
        raise NoRunningWorkerError(str(exc)) from exc
    except KafkaError as exc:
        raise BrokerUnavailableError(f"{type(exc).__name__}: {exc}") from exc
    except RedisError as exc:
        raise ControlChannelUnavailableError(type(exc).__name__) from exc


async def topics(settings: KafkaSettings) -> list[PartitionOffsets]:
    async with _bus():
        return await kafka_admin.topic_offsets(settings)


async def groups(settings: KafkaSettings) -> dict[str, list[GroupPartition]]:
    async with _bus():
        return await kafka_admin.worker_groups(settings)


async def dead_letter_page(
    settings: KafkaSettings,
    db: Database,
    topic: str,
    *,
    state: LetterState = "all",
    offset: int = 0,
    limit: int = 100,
) -> LetterPage:
    async with _bus():
        return await dead_letters.read_dead_letter_page(
            settings, db, topic, state=state, offset=offset, limit=limit
        )


async def dead_letter(
    settings: KafkaSettings, db: Database, topic: str, letter_id: str
) -> DeadLetter:
    async with _bus():
        letters = await dead_letters.find_dead_letters(settings, db, topic, [letter_id])
        # An event dead-lettered twice has two letters: the first one stands for it.
        return letters[0]


async def redrive(
    session: AsyncSession,
    settings: KafkaSettings,
    db: Database,
    *,
    topic: str,
    ids: Sequence[str],
    force: bool,
    actor_id: uuid.UUID,
    meta: RequestMeta,
) -> list[DeadLetter]:
    """Send the chosen dead letters (all waiting ones when ``ids`` is empty) back once."""
    async with _bus():
        chosen = await dead_letters.find_dead_letters(settings, db, topic, list(ids))
        sent = await dead_letters.redrive(settings, db, chosen, force=force) if chosen else []
    await audit.record(
        session,
        "ops.redrive",
        meta,
        actor_id=actor_id,
        subject_id=None,
        detail={
            "topic": topic,
            "requested": list(ids),
            "force": force,
            "redriven": [letter.id for letter in sent],
            "event_ids": [letter.headers.get("event_id") for letter in sent],
        },
    )
    await session.commit()
    return sent


@dataclass(frozen=True)
class ReplayRequest:
    group: str
    topic: str
    from_beginning: bool = False
    from_offset: int | None = None
    since: datetime | None = None
    reprocess: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class ReplayOutcome:
    plan: ReplayPlan
    result: ReplayResult | None


async def replay_topic(
    session: AsyncSession,
    settings: KafkaSettings,
    control: ControlSettings,
    redis: Redis,
    request: ReplayRequest,
    *,
    actor_id: uuid.UUID,
    meta: RequestMeta,
) -> ReplayOutcome:
    """The plan, carried out unless it is a dry run (which changes nothing and is not
    recorded: it is a read)."""
    async with _bus():
        plan = await replay.plan_replay(
            settings,
            group=request.group,
            topic=request.topic,
            from_beginning=request.from_beginning,
            from_offset=request.from_offset,
            since=request.since,
            reprocess=request.reprocess,
        )
    if request.dry_run:
        return ReplayOutcome(plan, None)
    detail = {
        "group": plan.group,
        "topic": plan.topic,
        "reprocess": plan.reprocess,
        "targets": {str(p.partition): p.target for p in plan.partitions},
        "messages": plan.total,
    }
    try:
        async with _bus():
            result = await replay.execute_replay(settings, redis, plan, control=control)
    except (
        NoRunningWorkerError,
        BrokerUnavailableError,
        ControlChannelUnavailableError,
    ) as exc:
        # A replay that moved nothing is worth a line too: someone tried.
        await audit.record(
            session,
            "ops.replay",
            meta,
            actor_id=actor_id,
            subject_id=None,
            outcome="failed",
            detail={**detail, "reason": exc.code},
        )
        await session.commit()
        raise
    await audit.record(
        session,
        "ops.replay",
        meta,
        actor_id=actor_id,
        subject_id=None,
        detail={
            **detail,
            "moved_by_members": result.by_members,
            "committed_directly": result.committed_directly,
        },
    )
    await session.commit()
    return ReplayOutcome(plan, result)
