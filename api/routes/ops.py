"""The bus tools for operators: topics, consumer groups and lag, dead letters, replay."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import RequestMetaDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import OPERATOR, CurrentUserId, requires
from api.schemas import (
    DeadLetterOut,
    DeadLetterPage,
    GroupName,
    GroupOut,
    GroupPartitionOut,
    LetterId,
    RedriveIn,
    RedriveOut,
    ReplayFromBeginning,
    ReplayFromOffset,
    ReplayFromTime,
    ReplayIn,
    ReplayOut,
    ReplayPartitionOut,
    TopicName,
    TopicPartitionOut,
)
from api.services import ops
from producers.dead_letters import DeadLetter, LetterState, describe

router = APIRouter(prefix="/v1/ops", tags=["operations"])
_OPS: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 503: PROBLEM}

TopicPath = Annotated[TopicName, Path(description="The original topic, e.g. `cv.parsed`")]


def _letter(letter: DeadLetter) -> DeadLetterOut:
    return DeadLetterOut.model_validate(describe(letter))


@router.get(
    "/topics",
    dependencies=[requires(OPERATOR)],
    response_model=list[TopicPartitionOut],
    responses=_OPS,
)
async def list_topics(resources: ResourcesDep) -> list[TopicPartitionOut]:
    """Every topic's partitions with their beginning and end offsets."""
    rows = await ops.topics(resources.settings.kafka)
    return [
        TopicPartitionOut(topic=r.topic, partition=r.partition, beginning=r.beginning, end=r.end)
        for r in rows
    ]


@router.get(
    "/groups", dependencies=[requires(OPERATOR)], response_model=list[GroupOut], responses=_OPS
)
async def list_groups(resources: ResourcesDep) -> list[GroupOut]:
    """Each worker's consumer group: committed offset and lag per partition."""
    by_group = await ops.groups(resources.settings.kafka)
    return [
        GroupOut(
            group=group,
            lag=sum(r.lag for r in rows),
            partitions=[
                GroupPartitionOut(
                    topic=r.topic,
                    partition=r.partition,
                    committed=r.committed,
                    end=r.end,
                    lag=r.lag,
                )
                for r in rows
            ],
        )
        for group, rows in by_group.items()
    ]


@router.get(
    "/dead-letters/{topic}",
    dependencies=[requires(OPERATOR)],
    response_model=DeadLetterPage,
    responses={**_OPS, 404: PROBLEM, 422: PROBLEM},
)
async def list_dead_letters(
    topic: TopicPath,
    resources: ResourcesDep,
    state: Annotated[LetterState, Query()] = "all",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DeadLetterPage:
    """A topic's dead letters, oldest first: envelope and failure, never the bodies."""
    page = await ops.dead_letter_page(
        resources.settings.kafka, resources.db, topic, state=state, offset=offset, limit=limit
    )
    return DeadLetterPage(
        items=[_letter(x) for x in page.letters], total=page.total, limit=limit, offset=offset
    )


@router.get(
    "/dead-letters/{topic}/{letter_id}",
    dependencies=[requires(OPERATOR)],
    response_model=DeadLetterOut,
    responses={**_OPS, 404: PROBLEM, 422: PROBLEM},
)
async def get_dead_letter(
    topic: TopicPath, letter_id: Annotated[LetterId, Path()], resources: ResourcesDep
) -> DeadLetterOut:
    letter = await ops.dead_letter(resources.settings.kafka, resources.db, topic, letter_id)
    return _letter(letter)


@router.post(
    "/dead-letters/{topic}/redrive",
    dependencies=[requires(OPERATOR)],
    response_model=RedriveOut,
    responses={**_OPS, 404: PROBLEM, 422: PROBLEM},
)
async def redrive_dead_letters(
    topic: TopicPath,
    body: RedriveIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> RedriveOut:
    """Send dead letters back to their topic, each once (consumers skip what they did)."""
    sent = await ops.redrive(
        session,
        resources.settings.kafka,
        resources.db,
        topic=topic,
        ids=body.ids,
        force=body.force,
        actor_id=user_id,
        meta=meta,
    )
    return RedriveOut(redriven=[letter.id for letter in sent])


@router.post(
    "/groups/{group}/topics/{topic}/replay",
    dependencies=[requires(OPERATOR)],
    response_model=ReplayOut,
    responses={**_OPS, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def replay(
    group: Annotated[GroupName, Path()],
    topic: Annotated[TopicName, Path(description="A topic the group reads, e.g. `cv.uploaded`")],
    body: ReplayIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> ReplayOut:
    """Move a consumer group on a topic: running workers pause, seek and resume; an idle
    group is committed directly. ``dry_run`` answers the plan and moves nothing."""
    outcome = await ops.replay_topic(
        session,
        resources.settings.kafka,
        resources.settings.control,
        resources.redis,
        ops.ReplayRequest(
            group=group,
            topic=topic,
            from_beginning=isinstance(body, ReplayFromBeginning),
            from_offset=body.from_offset if isinstance(body, ReplayFromOffset) else None,
            since=body.since if isinstance(body, ReplayFromTime) else None,
            reprocess=body.reprocess,
            dry_run=body.dry_run,
        ),
        actor_id=user_id,
        meta=meta,
    )
    plan, result = outcome.plan, outcome.result
    return ReplayOut(
        group=plan.group,
        topic=plan.topic,
        reprocess=plan.reprocess,
        dry_run=result is None,
        total=plan.total,
        partitions=[
            ReplayPartitionOut(
                partition=p.partition,
                committed=p.committed,
                target=p.target,
                end=p.end,
                to_reconsume=p.to_reconsume,
            )
            for p in plan.partitions
        ],
        moved_by_members=result.by_members if result else {},
        committed_directly=result.committed_directly if result else [],
    )
