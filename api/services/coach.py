"""Coach sessions and messages. Sending a message stores it and its
``coach.message.sent`` command in one transaction (the outbox); the coaching worker
answers. Another user's session or message is "not found", never "forbidden".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import entitlements
from api.services.errors import (
    InvalidFormError,
    MessageTooLongError,
    NotAReplyError,
    NotFoundError,
    SuggestionDecidedError,
)
from infra.crypto import DataKey
from infra.db.models import CoachMessage, CoachSession, CoachSuggestion, UserEvent
from infra.db.repositories import coach as coach_repo
from infra.db.repositories import cvs as cvs_repo
from infra.db.session import Database
from infra.entitlements import Metric
from infra.personal_data import (
    coach_text_of,
    seal_feedback_comment,
    set_coach_text,
    set_session_job_description,
    suggestion_change_of,
)
from infra.settings import BillingSettings
from infra.vault import Vault
from producers.outbox import stage_events
from schemas.coach import (
    MAX_MESSAGE_CHARS,
    REPLY_COMPLETED,
    CoachMessageSent,
    CoachMode,
    CoachRole,
    Rating,
    ReplyStatus,
    SuggestionStatus,
)

log = structlog.get_logger(__name__)


def reply_id_for(message_id: uuid.UUID) -> uuid.UUID:
    """The reply's id follows from the message's: known to the client at once."""
    return uuid.uuid5(message_id, "coach-reply")


async def create_session(
    session: AsyncSession,
    vault: Vault,
    *,
    user_id: uuid.UUID,
    cv_id: uuid.UUID | None,
    mode: CoachMode | None,
    job_description: str | None,
) -> CoachSession:
    if cv_id is not None and await cvs_repo.for_user(session, cv_id, user_id) is None:
        raise NotFoundError("No CV with this id.")
    coach_session = CoachSession(
        id=uuid.uuid4(), user_id=user_id, cv_id=cv_id, mode=mode.value if mode else None
    )
    text = (job_description or "").strip() or None
    if text is not None:
        set_session_job_description(
            await vault.key_or_create(session, user_id), coach_session, text
        )
    await coach_repo.add_session(session, coach_session)
    await session.commit()
    await session.refresh(coach_session)
    return coach_session


async def get_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, *, lock: bool = False
) -> CoachSession:
    found = await coach_repo.session_for_user(session, session_id, user_id, lock=lock)
    if found is None:
        raise NotFoundError("No coach session with this id.")
    return found


async def list_sessions(
    session: AsyncSession, user_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[list[CoachSession], int]:
    rows, total = await coach_repo.sessions_page(session, user_id, limit=limit, offset=offset)
    return list(rows), total


async def delete_session(session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
    await get_session(session, user_id, session_id, lock=True)
    await coach_repo.delete_session(session, session_id)
    await session.commit()


async def send_message(
    session: AsyncSession,
    vault: Vault,
    *,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    text: str,
    correlation_id: str,
    billing: BillingSettings,
) -> CoachMessage:
    text = text.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageTooLongError(f"A message may have at most {MAX_MESSAGE_CHARS} characters.")
    if not text:
        raise InvalidFormError("The message is empty.")
    # The session row lock orders concurrent posts: each gets the next turn.
    coach_session = await get_session(session, user_id, session_id, lock=True)
    message_id = uuid.uuid4()
    await entitlements.spend(session, billing, user_id, Metric.COACH_MESSAGES, message_id)
    message = CoachMessage(
        id=message_id,
        session_id=coach_session.id,
        user_id=user_id,
        seq=await coach_repo.next_seq(session, coach_session.id),
        role=CoachRole.USER,
        status=ReplyStatus.SENT,
        meta={},
    )
    set_coach_text(await vault.key_or_create(session, user_id), message, text)
    await coach_repo.add_message(session, message)
    coach_session.updated_at = datetime.now(UTC)
    await stage_events(
        session,
        CoachMessageSent(
            correlation_id=correlation_id,
            user_id=user_id,
            session_id=coach_session.id,
            message_id=message.id,
            reply_id=reply_id_for(message.id),
        ),
    )
    await session.commit()
    return message


@dataclass(frozen=True)
class MessageView:
    message: CoachMessage
    text: str
    rating: str | None


async def list_messages(
    session: AsyncSession,
    vault: Vault,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    *,
    limit: int,
    offset: int,
) -> tuple[list[MessageView], int]:
    await get_session(session, user_id, session_id)
    rows, total = await coach_repo.messages_page(session, session_id, limit=limit, offset=offset)
    key = await vault.key_if_any(session, user_id) if rows else None
    replies = [row.id for row in rows if row.role == CoachRole.ASSISTANT]
    ratings = await coach_repo.ratings_of(session, replies) if replies else {}
    views = [MessageView(row, coach_text_of(key, row), ratings.get(row.id)) for row in rows]
    return views, total


async def cancel(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, message_id: uuid.UUID
) -> tuple[uuid.UUID, ReplyStatus]:
    """Ask the worker to stop the reply to ``message_id`` (the user's message or the reply
    itself); a reply already finished stays as it is."""
    await get_session(session, user_id, session_id)
    target = await coach_repo.message_in_session(session, session_id, message_id, lock=True)
    if target is None:
        raise NotFoundError("No message with this id in this session.")
    if target.role == CoachRole.ASSISTANT and target.reply_to is not None:
        target = await coach_repo.message_in_session(
            session, session_id, target.reply_to, lock=True
        )
        if target is None:
            raise NotFoundError("No message with this id in this session.")
    reply = await coach_repo.reply_to(session, target.id)
    if reply is not None and reply.status in (
        ReplyStatus.COMPLETED,
        ReplyStatus.CANCELLED,
        ReplyStatus.FAILED,
    ):
        await session.commit()
        return reply.id, ReplyStatus(reply.status)
    if target.cancel_requested_at is None:
        target.cancel_requested_at = datetime.now(UTC)
    await session.commit()
    return reply_id_for(target.id), ReplyStatus.CANCELLED


async def rate(
    session: AsyncSession,
    vault: Vault,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    message_id: uuid.UUID,
    rating: Rating,
    comment: str | None,
) -> None:
    await get_session(session, user_id, session_id)
    message = await coach_repo.message_in_session(session, session_id, message_id)
    if message is None:
        raise NotFoundError("No message with this id in this session.")
    if message.role != CoachRole.ASSISTANT:
        raise NotAReplyError()
    text = (comment or "").strip() or None
    key: DataKey | None = await vault.key_or_create(session, user_id) if text else None
    await coach_repo.set_feedback(
        session,
        message_id=message.id,
        user_id=user_id,
        rating=rating.value,
        comment_sealed=seal_feedback_comment(key, message.id, text) if key else None,
    )
    await session.commit()


@dataclass(frozen=True)
class SuggestionView:
    row: CoachSuggestion
    before: str
    after: str


async def _reply_in_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, message_id: uuid.UUID
) -> CoachMessage:
    await get_session(session, user_id, session_id)
    message = await coach_repo.message_in_session(session, session_id, message_id)
    if message is None:
        raise NotFoundError("No message with this id in this session.")
    if message.role != CoachRole.ASSISTANT:
        raise NotAReplyError("Only the coach's replies propose changes.")
    return message


async def _view(session: AsyncSession, vault: Vault, row: CoachSuggestion) -> SuggestionView:
    before, after = suggestion_change_of(await vault.key_if_any(session, row.user_id), row)
    return SuggestionView(row, before, after)


async def suggestions(
    session: AsyncSession,
    vault: Vault,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    message_id: uuid.UUID,
) -> list[SuggestionView]:
    """The CV changes a tailor reply proposed, in order."""
    reply = await _reply_in_session(session, user_id, session_id, message_id)
    return [
        await _view(session, vault, r) for r in await coach_repo.suggestions_of(session, reply.id)
    ]


async def decide(
    session: AsyncSession,
    vault: Vault,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    message_id: uuid.UUID,
    suggestion_id: uuid.UUID,
    decision: SuggestionStatus,
) -> SuggestionView:
    """Accept or reject one change; deciding the same again changes nothing, deciding
    the other way is refused (409 ``suggestion_already_decided``)."""
    reply = await _reply_in_session(session, user_id, session_id, message_id)
    row = await coach_repo.suggestion_of_reply(session, reply.id, suggestion_id, lock=True)
    if row is None:
        raise NotFoundError("No suggestion with this id in this reply.")
    if row.status not in (SuggestionStatus.PROPOSED, decision):
        raise SuggestionDecidedError(f"This change was already {row.status}.")
    if row.status == SuggestionStatus.PROPOSED:
        row.status = decision
        row.decided_at = datetime.now(UTC)
    view = await _view(session, vault, row)
    await session.commit()
    return view


async def expand_event(db: Database, vault: Vault, event: UserEvent) -> dict[str, Any] | None:
    """The sealed text of a completed reply, for its owner's event stream."""
    if event.type != REPLY_COMPLETED:
        return None
    async with db.reads() as session:
        message = await coach_repo.message_by_id(session, uuid.UUID(event.data["message_id"]))
        if message is None or message.user_id != event.user_id:
            return {"text": None}
        key = await vault.key_if_any(session, event.user_id)
        return {"text": coach_text_of(key, message), "metadata": message.meta}
