"""The coach's messages and the shapes its replies are described with.

The bus carries ids only: what the user wrote and what the coach answered live in
Postgres, sealed with the user's key, and reach the client over SSE.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from schemas.envelope import Event

# A message longer than this is refused (422 message_too_long): replies stay focused and
# a prompt cannot be stuffed with a whole document.
MAX_MESSAGE_CHARS = 4000


class CoachMode(StrEnum):
    REVIEW = "review"
    INTERVIEW = "interview"
    TAILOR = "tailor"
    CAREER = "career"


class CoachRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class ReplyStatus(StrEnum):
    """A user's message: ``sent``; a reply: ``streaming`` then one of the others."""

    SENT = "sent"
    STREAMING = "streaming"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class SuggestionStatus(StrEnum):
    """A tailor reply's CV change: ``proposed`` until the user accepts or rejects it."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Rating(StrEnum):
    UP = "up"
    DOWN = "down"


class CoachMessageSent(Event):
    """A user wrote to the coach; the coaching worker answers it (keyed by session, so a
    session's messages are answered in order)."""

    TYPE: ClassVar[str] = "coach.message.sent"

    session_id: uuid.UUID
    message_id: uuid.UUID = Field(description="The user's message")
    reply_id: uuid.UUID = Field(description="The id the reply will have")


class CoachReplyCompleted(Event):
    """The coach finished a reply (ids only: the text stays sealed in the database)."""

    TYPE: ClassVar[str] = "coach.reply.completed"

    session_id: uuid.UUID
    message_id: uuid.UUID = Field(description="The reply")


class ReplyMetadata(BaseModel):
    """How a reply was made: recorded with it and sent in ``coach.reply.completed``."""

    provider: str = Field(description="'offline' or 'gemini'")
    model: str | None = None
    mode: CoachMode
    language: str = Field(description="'pt-BR' or 'en'")
    sources: list[str] = Field(
        default_factory=list, description="Knowledge-base entries and CV parts the reply used"
    )
    grounded: bool = Field(description="Every claim about the user was found in their CV")
    ungrounded: list[str] = Field(
        default_factory=list, description="Claims about the user the checker could not verify"
    )
    fallback_reason: str | None = Field(
        default=None, description="Why the AI provider was not (fully) used, when it was tried"
    )
    safety: list[str] = Field(
        default_factory=list,
        description="What was refused: injection, prompt_request, fabrication, cv_injection",
    )
    star: dict[str, bool] | None = Field(
        default=None, description="Interview feedback: which STAR parts the answer had"
    )
    star_score: int | None = Field(default=None, ge=0, le=100)
    latency_ms: float | None = None
    first_token_ms: float | None = None
    suggestions: int = Field(
        default=0, description="CV changes proposed (tailor mode), to accept or reject"
    )


# Event types on GET /v1/events. Deltas are ephemeral (Redis only); the completion is in
# the durable log, so a client reconnecting with Last-Event-ID still gets it.
REPLY_DELTA = "coach.reply.delta"
REPLY_COMPLETED = "coach.reply.completed"
# Durable too: the reply's message was given up on (dead-lettered); ``reason`` says why.
REPLY_FAILED = "coach.reply.failed"


class FailureReason(StrEnum):
    """Why a reply ended ``failed`` (machine-readable, in its event and its history)."""

    # The coaching worker failed on the message every time it was retried.
    RETRIES_EXHAUSTED = "retries_exhausted"
    # The message can never be answered as it is.
    UNPROCESSABLE = "unprocessable"
