from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.export import service
from consumers.runtime import consumer_topics, subscriber_options
from schemas.privacy import UserExportRequested
from schemas.topics import USER_EXPORT_REQUESTED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, USER_EXPORT_REQUESTED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="export:user.export-requested",
        description="Builds the zip of everything held about the user; emits user.export-ready.",
    )
    async def on_export_requested(event: UserExportRequested) -> None:
        await service.handle_export_requested(ctx, event)

    return router
