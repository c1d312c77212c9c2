from __future__ import annotations

import structlog
from faststream.kafka import KafkaRouter
from pydantic import ValidationError

from consumers.coaching import service
from consumers.context import WorkerContext
from consumers.runtime import (
    DeadLettered,
    DeadLetterHook,
    consumer_topics,
    subscriber_options,
)
from schemas.coach import CoachMessageSent, FailureReason
from schemas.topics import COACH_MESSAGE_SENT

CONSUMER = service.CONSUMER
log = structlog.get_logger(__name__)


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, COACH_MESSAGE_SENT),
        **subscriber_options(CONSUMER, ctx.settings),
        title="coaching:coach.message.sent",
        description="Answers a coach message, streaming deltas over Redis; records "
        "coach.reply.completed in the user's event log (coach.reply.failed when the "
        "message is given up on).",
    )
    async def on_message_sent(event: CoachMessageSent) -> None:
        await service.handle_message_sent(ctx, event)

    return router


def dead_letter_hook(ctx: WorkerContext) -> DeadLetterHook:
    """A message given up on ends its reply ``failed``, with the reason, for its user."""

    async def on_dead_letter(letter: DeadLettered) -> None:
        try:
            event = CoachMessageSent.model_validate_json(letter.msg.body)
        except ValidationError:
            log.warning("dead letter names no coach message, no reply to fail")
            return
        await service.fail_reply(
            ctx,
            event,
            reason=FailureReason(letter.reason),
            error_type=letter.error_type,
            attempts=letter.attempts,
        )

    return on_dead_letter
