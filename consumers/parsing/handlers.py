from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.parsing import service
from consumers.runtime import consumer_topics, subscriber_options
from schemas.events import CvUploaded
from schemas.topics import CV_UPLOADED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, CV_UPLOADED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="parsing:cv.uploaded",
        description="Extracts text, language, sections and contact details; emits cv.parsed or cv.failed.",
    )
    async def on_cv_uploaded(event: CvUploaded) -> None:
        await service.handle_cv_uploaded(ctx, event)

    return router
