from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.erasure import service
from consumers.runtime import consumer_topics, subscriber_options
from schemas.privacy import UserErasureRequested
from schemas.topics import USER_ERASURE_REQUESTED

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, USER_ERASURE_REQUESTED),
        **subscriber_options(CONSUMER, ctx.settings),
        title="erasure:user.erasure-requested",
        description="Deletes every part of the user's data, confirms each, then shreds the key.",
    )
    async def on_erasure_requested(event: UserErasureRequested) -> None:
        await service.handle_erasure_requested(ctx, event)

    return router
