from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.report import service
from consumers.runtime import consumer_topics, subscriber_options
from schemas.events import CvScored
from schemas.topics import CV_SCORED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, CV_SCORED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="report:cv.scored",
        description="Renders the PDF report of a scored analysis; emits report.ready.",
    )
    async def on_cv_scored(event: CvScored) -> None:
        await service.handle_cv_scored(ctx, event)

    return router
