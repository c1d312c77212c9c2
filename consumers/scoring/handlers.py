from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.runtime import consumer_topics, subscriber_options
from consumers.scoring import service
from schemas.events import CvParsed
from schemas.topics import CV_PARSED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, CV_PARSED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="scoring:cv.parsed",
        description="Scores a parsed CV with the offline analyser; emits cv.scored.",
    )
    async def on_cv_parsed(event: CvParsed) -> None:
        await service.handle_cv_parsed(ctx, event)

    return router
