from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.runtime import consumer_topics, subscriber_options
from consumers.scoring import service
from schemas.events import CvMatchRequested, CvParsed
from schemas.topics import CV_MATCH_REQUESTED, CV_PARSED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, CV_PARSED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="scoring:cv.parsed",
        description="Scores a parsed CV (rubric, suggestions, job match); emits cv.scored.",
    )
    async def on_cv_parsed(event: CvParsed) -> None:
        await service.handle_cv_parsed(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, CV_MATCH_REQUESTED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="scoring:cv.match-requested",
        description="Re-analyses a scored CV against its new job description; emits cv.scored.",
    )
    async def on_match_requested(event: CvMatchRequested) -> None:
        await service.handle_match_requested(ctx, event)

    return router
