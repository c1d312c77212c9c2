from __future__ import annotations

from functools import partial

import structlog
from pydantic import ValidationError

from consumers.coaching import service
from consumers.context import WorkerContext
from consumers.routing import Route, Routes
from consumers.runtime import DeadLettered, DeadLetterHook
from schemas.coach import CoachMessageSent, FailureReason
from schemas.topics import COACH_MESSAGE_SENT

CONSUMER = service.CONSUMER
log = structlog.get_logger(__name__)


def routes(ctx: WorkerContext) -> Routes:
    return {
        COACH_MESSAGE_SENT: Route(
            partial(service.handle_message_sent, ctx),
            "Answers a coach message, streaming deltas over Redis; records "
            "coach.reply.completed in the user's event log (coach.reply.failed when the "
            "message is given up on).",
        )
    }


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
