"""Coaching use case: answer one message of a session, streaming the reply.

- The reply row (``reply_to`` = the message, unique) is the idempotency record: a
  redelivered or replayed message finds a finished reply and does nothing, so there is
  never a second reply nor a second AI call for a finished one.
- While streaming, the worker holds a lease on the reply and renews it; a delivery that
  finds a reply still ``streaming`` waits for the lease and takes the reply over once it
  runs out (its worker died).
- Deltas go to Redis only; the finished reply is sealed in Postgres and announced in the
  durable event log (``coach.reply.completed``), so a reconnecting client gets it.
- A cancellation (on the user's message) is polled while streaming and ends the reply.
- A handler that fails gives its lease back at once, so the retry need not wait for it;
  a message the runtime gives up on (dead-lettered) ends its reply ``failed`` with the
  reason, announced as ``coach.reply.failed``: a reply never stays ``streaming``. The
  message delivered again after a fix (a redrive or a replay) is answered after all.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.coaching import grounding, safety, tailor
from consumers.coaching.facts import CvFacts, facts_from_analysis
from consumers.coaching.offline import CoachInput, CoachReply, Turn, reply
from consumers.coaching.prompt import first_sentence
from consumers.coaching.providers import Outcome
from consumers.context import WorkerContext
from consumers.runtime import idempotency_key
from infra.crypto import DataKey
from infra.db.models import CoachMessage, CoachSession, CoachSuggestion
from infra.db.repositories import coach as coach_repo
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import users as users_repo
from infra.personal_data import (
    analysis_body,
    coach_text_of,
    parsed_of,
    session_job_description_of,
    set_coach_text,
    set_suggestion_change,
)
from infra.redis import coach_channel
from producers.outbox import stage_events
from schemas.coach import (
    REPLY_COMPLETED,
    REPLY_DELTA,
    REPLY_FAILED,
    CoachMessageSent,
    CoachMode,
    CoachReplyCompleted,
    CoachRole,
    FailureReason,
    ReplyMetadata,
    ReplyStatus,
    SuggestionStatus,
)
from schemas.cv import Analysis

CONSUMER = "coaching"
log = structlog.get_logger(__name__)
_TERMINAL = {ReplyStatus.COMPLETED, ReplyStatus.CANCELLED, ReplyStatus.FAILED}
# Earlier questions summarised into the context of a long session.
_EARLIER_LIMIT = 20


@dataclass(frozen=True)
class Work:
    """A claimed reply and everything needed to write it."""

    reply_id: uuid.UUID
    owner: uuid.UUID
    user_id: uuid.UUID
    session_id: uuid.UUID
    message_id: uuid.UUID
    data: CoachInput
    # Everything the user said in the session: a source of facts about them.
    said: tuple[str, ...]
    cancelled: bool


async def handle_message_sent(ctx: WorkerContext, event: CoachMessageSent) -> None:
    work = await _claim_when_free(ctx, event)
    if work is None:
        return
    try:
        offline = reply(work.data)
        outcome = Outcome()
        status: ReplyStatus | None = (
            ReplyStatus.CANCELLED if work.cancelled else ReplyStatus.COMPLETED
        )
        started = time.perf_counter()
        if not work.cancelled:
            status = await _stream(ctx, work, offline, outcome, started)
        if status is None:
            log.info("reply taken over by another worker", reply_id=str(work.reply_id))
            return
        await _finish(ctx, event, work, offline, outcome, status, started)
    except Exception:
        await _release(ctx, work)
        raise


async def _release(ctx: WorkerContext, work: Work) -> None:
    """Give the lease back after a failure, so the retry can take the reply at once."""
    try:
        async with ctx.db.transaction() as session:
            await coach_repo.renew_lease(session, work.reply_id, work.owner, datetime.now(UTC))
    except (SQLAlchemyError, OSError) as exc:  # the handler's own error is what matters
        log.warning("could not release the reply's lease", error=repr(exc))


async def fail_reply(
    ctx: WorkerContext,
    event: CoachMessageSent,
    *,
    reason: FailureReason,
    error_type: str,
    attempts: int,
) -> None:
    """End the reply to a message the runtime gave up on: ``failed``, with ``reason``,
    recorded as ``coach.reply.failed``. Idempotent: a finished reply stays as it is."""
    async with ctx.db.transaction() as session:
        message = None
        if await coach_repo.hold_session(session, event.session_id):
            message = await coach_repo.message_by_id(session, event.message_id, lock=True)
        if message is None or message.session_id != event.session_id:
            log.info("message gone, no reply to fail")
            return
        row = await coach_repo.reply_to(session, message.id, lock=True)
        if row is not None and row.status in _TERMINAL:
            log.info("reply already finished", reply_status=row.status)
            return
        if not await users_repo.hold_unless_erasing(session, message.user_id):
            log.info("user being erased, reply not recorded")
            return
        if row is None:
            row = await coach_repo.add_message(
                session,
                CoachMessage(
                    id=event.reply_id,
                    session_id=message.session_id,
                    user_id=message.user_id,
                    seq=message.seq,
                    role=CoachRole.ASSISTANT,
                    status=ReplyStatus.FAILED,
                    reply_to=message.id,
                    meta={},
                ),
            )
        row.status = ReplyStatus.FAILED
        row.meta = {
            "failure": {"reason": reason.value, "error_type": error_type, "attempts": attempts}
        }
        row.completed_at = datetime.now(UTC)
        row.lease_owner = None
        row.lease_expires_at = None
        data = {
            "session_id": str(message.session_id),
            "message_id": str(row.id),
            "reply_to": str(message.id),
            "status": ReplyStatus.FAILED.value,
            "reason": reason.value,
        }
        wake = await user_events.record(session, message.user_id, REPLY_FAILED, data)
        user_id = message.user_id
    log.error(
        "coach reply failed",
        reply_id=str(event.reply_id),
        reason=reason.value,
        error_type=error_type,
    )
    await ctx.wake_user_streams(user_id, wake)


async def _claim_when_free(ctx: WorkerContext, event: CoachMessageSent) -> Work | None:
    """Claim the reply; while another live worker streams it, wait for its lease."""
    deadline = time.monotonic() + 2 * ctx.settings.coach.lease_seconds + 5
    while True:
        outcome = await _claim(ctx, event)
        if not isinstance(outcome, datetime):
            return outcome
        if time.monotonic() > deadline:
            # Bounded: the runtime retries the message later rather than block its partition.
            raise TimeoutError("the reply is still leased by another worker")
        wait = (outcome - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(min(max(wait, 0.05), 1.0))


async def _claim(ctx: WorkerContext, event: CoachMessageSent) -> Work | datetime | None:
    """The claimed work; None when there is nothing to do; the lease's end when another
    worker is streaming the reply."""
    settings = ctx.settings.coach
    now = datetime.now(UTC)
    async with ctx.db.transaction() as session:
        message = None
        if await coach_repo.hold_session(session, event.session_id):
            message = await coach_repo.message_by_id(session, event.message_id, lock=True)
        if message is None or message.session_id != event.session_id:
            log.info("message gone, nothing to answer")
            return None
        existing = await coach_repo.reply_to(session, message.id, lock=True)
        if existing is not None:
            if existing.status in _TERMINAL and not _given_up(existing):
                log.info("duplicate message skipped", reply_status=existing.status)
                return None
            if _given_up(existing):
                log.info("answering a message that was given up on", reply_id=str(existing.id))
            lease = existing.lease_expires_at
            if lease is not None and lease > now:
                return lease
            log.warning("taking over a reply whose worker stopped", reply_id=str(existing.id))
        if not await users_repo.hold_unless_erasing(session, message.user_id):
            log.info("user being erased, message dropped")
            return None
        coach_session = await coach_repo.session_by_id(session, message.session_id)
        if coach_session is None:
            return None
        owner = uuid.uuid4()
        if existing is None:
            existing = await coach_repo.add_message(
                session,
                CoachMessage(
                    id=event.reply_id,
                    session_id=message.session_id,
                    user_id=message.user_id,
                    seq=message.seq,
                    role=CoachRole.ASSISTANT,
                    status=ReplyStatus.STREAMING,
                    reply_to=message.id,
                    meta={},
                ),
            )
        existing.status = ReplyStatus.STREAMING
        await coach_repo.take_lease(session, existing, owner, now, settings.lease_seconds)
        key = await ctx.vault.key_if_any(session, message.user_id)
        data, said = await _input(ctx, session, key, coach_session, message)
        return Work(
            reply_id=existing.id,
            owner=owner,
            user_id=message.user_id,
            session_id=message.session_id,
            message_id=message.id,
            data=data,
            said=said,
            cancelled=message.cancel_requested_at is not None,
        )


def _given_up(reply: CoachMessage) -> bool:
    """A reply failed because its message was dead-lettered: an operator's redrive of the
    message (after a fix) answers it after all."""
    return reply.status == ReplyStatus.FAILED and "failure" in reply.meta


async def _input(
    ctx: WorkerContext,
    session: AsyncSession,
    key: DataKey | None,
    coach_session: CoachSession,
    message: CoachMessage,
) -> tuple[CoachInput, tuple[str, ...]]:
    user = await users_repo.by_id(session, message.user_id)
    recent = await coach_repo.recent_messages(
        session, coach_session.id, before_seq=message.seq, limit=ctx.settings.coach.history_turns
    )
    history = tuple(
        Turn(
            role=CoachRole(m.role),
            text=coach_text_of(key, m),
            mode=CoachMode(m.meta["mode"]) if m.meta.get("mode") else None,
            asked_question=bool(m.meta.get("asked_question")),
        )
        for m in recent
        if m.status in (ReplyStatus.SENT, ReplyStatus.COMPLETED)
    )
    text = coach_text_of(key, message)
    earlier: tuple[str, ...] = ()
    if recent and len(recent) >= ctx.settings.coach.history_turns:
        older = await coach_repo.earlier_user_messages(
            session, coach_session.id, before_seq=recent[0].seq, limit=_EARLIER_LIMIT
        )
        earlier = tuple(first_sentence(coach_text_of(key, m)) for m in older)
    said = (*earlier, *(t.text for t in history if t.role == CoachRole.USER), text)
    facts = await _facts(ctx, session, key, coach_session)
    data = CoachInput(
        message=text,
        facts=facts,
        locale=user.locale if user else None,
        history=history,
        session_mode=CoachMode(coach_session.mode) if coach_session.mode else None,
        job_description=session_job_description_of(key, coach_session),
        target_role=user.target_role if user else None,
        earlier=earlier,
    )
    return data, said


def facts_key(user_id: uuid.UUID, analysis_id: uuid.UUID) -> str:
    return f"coach-facts:{user_id}:{analysis_id}"


async def _facts(
    ctx: WorkerContext, session: AsyncSession, key: DataKey | None, coach_session: CoachSession
) -> CvFacts | None:
    """The CV facts of the session's CV (or the user's latest scored one): from Redis when
    cached, rebuilt from Postgres when Redis lost them."""
    cv = None
    if coach_session.cv_id is not None:
        cv = await cvs_repo.for_user(session, coach_session.cv_id, coach_session.user_id)
    if cv is None:
        cv = await cvs_repo.latest_scored(session, coach_session.user_id)
    if cv is None:
        return None
    analysis = await cvs_repo.latest_analysis(session, cv.id)
    if analysis is None:
        return None
    cache_key = facts_key(coach_session.user_id, analysis.id)
    try:
        cached = await ctx.redis.get(cache_key)
    except RedisError as exc:
        log.warning("coach context cache unavailable", error=repr(exc))
        cached = None
    if cached:
        return CvFacts.from_json(str(cached))
    body = Analysis.model_validate(analysis_body(key, analysis))
    parsed = parsed_of(key, cv) or {}
    lines = [line.strip() for line in str(parsed.get("text", "")).splitlines() if line.strip()]
    facts = facts_from_analysis(str(cv.id), body, safety.suspicious_lines(lines))
    try:
        await ctx.redis.set(cache_key, facts.to_json(), ex=ctx.settings.coach.context_ttl_seconds)
    except RedisError as exc:
        log.warning("coach context not cached", error=repr(exc))
    return facts


async def _stream(
    ctx: WorkerContext, work: Work, offline: CoachReply, outcome: Outcome, started: float
) -> ReplyStatus | None:
    """Stream the reply as deltas; the status it ended with (None: the lease was lost)."""
    settings = ctx.settings.coach
    loop = asyncio.get_running_loop()
    checked = renewed = loop.time()
    seq = 0
    async for piece in ctx.coach.stream(work.data, offline, outcome):
        if outcome.first_token_ms is None:
            outcome.first_token_ms = round((time.perf_counter() - started) * 1000, 1)
        seq += 1
        delta: dict[str, Any] = {
            "type": REPLY_DELTA,
            "session_id": str(work.session_id),
            "message_id": str(work.reply_id),
            "reply_to": str(work.message_id),
            "seq": seq,
            "text": piece.text,
        }
        if piece.reset:
            delta["reset"] = True
        await _publish(ctx, work.user_id, delta)
        now = loop.time()
        if now - checked >= settings.cancel_poll_seconds:
            checked = now
            async with ctx.db.reads() as session:
                if await coach_repo.cancel_requested(session, work.message_id):
                    return ReplyStatus.CANCELLED
        if now - renewed >= settings.lease_seconds / 3:
            renewed = now
            until = datetime.now(UTC) + timedelta(seconds=settings.lease_seconds)
            async with ctx.db.transaction() as session:
                if not await coach_repo.renew_lease(session, work.reply_id, work.owner, until):
                    return None
    async with ctx.db.reads() as session:
        if await coach_repo.cancel_requested(session, work.message_id):
            return ReplyStatus.CANCELLED
    return ReplyStatus.COMPLETED


async def _publish(ctx: WorkerContext, user_id: uuid.UUID, delta: dict[str, Any]) -> None:
    # Best effort: deltas are a preview; the completed reply is the record.
    try:
        await ctx.redis.publish(coach_channel(user_id), json.dumps(delta, ensure_ascii=False))
    except RedisError as exc:
        log.warning("could not publish a reply delta", error=repr(exc))


def metadata(
    work: Work, offline: CoachReply, outcome: Outcome, text: str, started: float
) -> ReplyMetadata:
    facts = work.data.facts
    sources = [*(facts.corpus() if facts else ()), *work.said, work.data.job_description or ""]
    checked = grounding.check(text, [*sources, *offline.references])
    star = offline.star if outcome.provider == "offline" else None
    return ReplyMetadata(
        provider=outcome.provider,
        model=outcome.model,
        mode=offline.mode,
        language=offline.language,
        sources=[*offline.sources, *outcome.extra_sources]
        if outcome.provider == "offline"
        else [
            *(s for s in offline.sources if s.startswith("cv:")),
            *outcome.extra_sources,
        ],
        grounded=checked.grounded,
        ungrounded=list(checked.ungrounded)[:20],
        fallback_reason=outcome.fallback_reason,
        safety=list(offline.safety),
        star=dict(star.present) if star else None,
        star_score=star.score if star else None,
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        first_token_ms=outcome.first_token_ms,
    )


def suggestion_id(reply_id: uuid.UUID, position: int) -> uuid.UUID:
    return uuid.uuid5(reply_id, f"suggestion-{position}")


def _suggestions(
    work: Work, offline: CoachReply, status: ReplyStatus, key: DataKey
) -> list[CoachSuggestion]:
    """A completed tailor reply's CV changes, each checked to keep the CV's facts."""
    facts, job = work.data.facts, work.data.job_description
    if status != ReplyStatus.COMPLETED or offline.mode != CoachMode.TAILOR or not facts or not job:
        return []
    rows = []
    for position, change in enumerate(tailor.propose(facts, job), start=1):
        row = CoachSuggestion(
            id=suggestion_id(work.reply_id, position),
            reply_id=work.reply_id,
            user_id=work.user_id,
            position=position,
            section=change.section,
            status=SuggestionStatus.PROPOSED,
        )
        set_suggestion_change(key, row, change.before, change.after)
        rows.append(row)
    return rows


async def _finish(
    ctx: WorkerContext,
    event: CoachMessageSent,
    work: Work,
    offline: CoachReply,
    outcome: Outcome,
    status: ReplyStatus,
    started: float,
) -> None:
    text = outcome.text
    meta = metadata(work, offline, outcome, text, started)
    async with ctx.db.transaction() as session:
        row = await coach_repo.message_by_id(session, work.reply_id, lock=True)
        if row is None or row.lease_owner != work.owner or row.status in _TERMINAL:
            log.info("reply finished elsewhere", reply_id=str(work.reply_id))
            return
        if not await users_repo.hold_unless_erasing(session, work.user_id):
            log.info("user being erased, reply dropped")
            return
        await messages_repo.claim(session, CONSUMER, idempotency_key(event.event_id))
        key = await ctx.vault.key_or_create(session, work.user_id)
        set_coach_text(key, row, text)
        suggestions = _suggestions(work, offline, status, key)
        await coach_repo.add_suggestions(session, suggestions)
        meta.suggestions = len(suggestions)
        row.status = status
        row.meta = {
            **meta.model_dump(mode="json"),
            "asked_question": offline.asked_question and status == ReplyStatus.COMPLETED,
        }
        row.completed_at = datetime.now(UTC)
        row.lease_owner = None
        row.lease_expires_at = None
        # Ids and how the reply was made only: the text is sealed, and the API adds it to
        # the event when it sends it to its owner.
        data = {
            "session_id": str(work.session_id),
            "message_id": str(work.reply_id),
            "reply_to": str(work.message_id),
            "status": status.value,
            "provider": meta.provider,
            "model": meta.model,
            "mode": meta.mode.value,
            "language": meta.language,
            "sources": meta.sources,
            "grounded": meta.grounded,
            "fallback_reason": meta.fallback_reason,
            "safety": meta.safety,
            "suggestions": [str(s.id) for s in suggestions],
        }
        if status == ReplyStatus.COMPLETED:
            # Notifications tells a user who was not watching.
            await stage_events(
                session,
                CoachReplyCompleted(
                    correlation_id=event.correlation_id,
                    user_id=work.user_id,
                    session_id=work.session_id,
                    message_id=work.reply_id,
                ),
            )
        wake = await user_events.record(session, work.user_id, REPLY_COMPLETED, data)
    log.info(
        "coach reply finished",
        reply_id=str(work.reply_id),
        status=status.value,
        provider=meta.provider,
        mode=meta.mode.value,
        grounded=meta.grounded,
        latency_ms=meta.latency_ms,
    )
    await ctx.wake_user_streams(work.user_id, wake)
