from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.coaching import service
from consumers.context import WorkerContext
from consumers.runtime import consumer_topics, subscriber_options
from schemas.coach import CoachMessageSent
from schemas.topics import COACH_MESSAGE_SENT

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, COACH_MESSAGE_SENT),
        **subscriber_options(CONSUMER, ctx.settings),
        title="coaching:coach.message.sent",
        description="Answers a coach message, streaming deltas over Redis; records "
        "coach.reply.completed in the user's event log.",
    )
    async def on_message_sent(event: CoachMessageSent) -> None:
        await service.handle_message_sent(ctx, event)

    return router
