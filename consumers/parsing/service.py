"""Parsing use case: read the stored file, extract the CV's facts, record the outcome."""

from __future__ import annotations

import os
import signal
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.context import WorkerContext
from consumers.parsing.errors import FILE_TOO_COMPLEX, ParseError
from consumers.runtime import idempotency_key, reprocessing
from consumers.scoring import service as scoring
from consumers.scoring.providers import is_local
from infra.crypto import DataKey, DecryptionError, is_sealed_file
from infra.db.models import Cv
from infra.db.rehearsal import rehearsal_cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import users as users_repo
from infra.db.session import warm_quietly
from infra.logging import REHEARSAL
from infra.personal_data import file_place, job_description_of, set_parsed
from infra.storage import FileNotStoredError
from producers.outbox import stage_events, upload_command
from schemas.cv import Analysis, CvStatus, ParsedCv
from schemas.events import CvFailed, CvParsed, CvScored, CvUploaded

CONSUMER = "parsing"
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Failure:
    code: str
    reason: str


async def handle_cv_uploaded(ctx: WorkerContext, event: CvUploaded) -> None:
    async with ctx.cv_lock(event.cv_id):
        await _handle(ctx, event)


@dataclass(frozen=True)
class _Work:
    """What the check found to do for a CV."""

    data_key: DataKey | None = None
    job_description: str | None = None
    attempts: int = 0


async def _handle(ctx: WorkerContext, event: CvUploaded) -> None:
    key = idempotency_key(event.event_id)
    rerun = event.reprocess or reprocessing()
    async with ctx.db.transaction() as session:
        if await messages_repo.was_processed(session, CONSUMER, key):
            log.info("duplicate message skipped")
            return
        work = await _check(ctx, session, event, rerun)

    outcome: ParsedCv | Failure | None = None
    if work is not None:
        outcome = await _parse_counted(ctx, event, work.data_key, work.attempts)
    # An analysis that needs no network is made here rather than in a hop of its own: a
    # CV then crosses the broker once less. An AI provider's calls take seconds, which
    # this CPU-bound worker must not wait for: scoring makes that analysis on cv.parsed.
    analysis: Analysis | None = None
    if isinstance(outcome, ParsedCv) and is_local(ctx.ai) and work is not None:
        analysis = await scoring.analysis_of(ctx, outcome, work.job_description)

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key):
            return
        recorded = await _record(ctx, session, event, rerun, outcome, analysis)
    if recorded is not None:
        user_id, wake, status = recorded
        log.info("cv parsed", cv_id=str(event.cv_id), status=status)
        await ctx.wake_user_streams(user_id, wake)


async def _check(
    ctx: WorkerContext, session: AsyncSession, event: CvUploaded, rerun: bool
) -> _Work | None:
    """What there is to do for the CV (None: nothing); counts the parse about to start."""
    cv = await session.get(Cv, event.cv_id)
    if cv is None or not (cv.status == CvStatus.QUEUED or rerun):
        return None
    # Work for a user being erased is dropped, not done: it would only be deleted.
    if await users_repo.erasure_requested(session, cv.user_id):
        return None
    data_key = await ctx.vault.key_if_any(session, cv.user_id)
    return _Work(
        data_key=data_key,
        job_description=job_description_of(data_key, cv) if is_local(ctx.ai) else None,
        attempts=await cvs_repo.count_parse_attempt(session, cv.id),
    )


async def _record(
    ctx: WorkerContext,
    session: AsyncSession,
    event: CvUploaded,
    rerun: bool,
    outcome: ParsedCv | Failure | None,
    analysis: Analysis | None,
) -> tuple[uuid.UUID, dict[str, Any], str] | None:
    """Write the outcome and stage what follows; whose streams to wake, with what, and
    the CV's new status."""
    cv = await cvs_repo.for_update(session, event.cv_id)
    if cv is None or outcome is None or not (cv.status == CvStatus.QUEUED or rerun):
        log.info("nothing to parse", cv_found=cv is not None)
        return None
    if not await users_repo.hold_unless_erasing(session, cv.user_id):
        log.info("user being erased, result dropped")
        return None
    cv.parse_attempts = 0
    if isinstance(outcome, Failure):
        cv.status = CvStatus.FAILED
        cv.error_code, cv.error_reason = outcome.code, outcome.reason
        data = {"cv_id": str(cv.id), "status": cv.status, "code": outcome.code}
        await stage_events(
            session,
            event.caused(
                CvFailed, cv_id=cv.id, stage=CONSUMER, code=outcome.code, reason=outcome.reason
            ),
        )
        wake = await user_events.record(session, cv.user_id, CvFailed.TYPE, data)
    else:
        cv.status = CvStatus.PARSED
        cv.error_code = cv.error_reason = None
        set_parsed(
            await ctx.vault.key_or_create(session, cv.user_id),
            cv,
            outcome.model_dump(mode="json"),
        )
        data = {"cv_id": str(cv.id), "status": cv.status, "language": outcome.language}
        # The user's events last, in their order: recording holds the user's log.
        if analysis is not None:
            scored = await scoring.save_analysis(ctx, session, cv, analysis, event)
            await user_events.record(session, cv.user_id, CvParsed.TYPE, data)
            wake = await user_events.record(session, cv.user_id, CvScored.TYPE, scored)
        else:
            await stage_events(
                session,
                event.caused(CvParsed, cv_id=cv.id, language=outcome.language, reprocess=rerun),
            )
            wake = await user_events.record(session, cv.user_id, CvParsed.TYPE, data)
    return cv.user_id, wake, cv.status


async def rehearse(ctx: WorkerContext) -> None:
    """Take a sample CV through the sandbox, the analysis and both transactions, and roll
    it all back: done before the worker says it is ready, so that its first CV is as fast
    as the next ones (nothing of it is stored, staged, sent or logged)."""
    await ctx.sandbox.warm()
    await warm_quietly(_rehearse(ctx))


async def _rehearse(ctx: WorkerContext) -> None:
    parsed = ctx.sandbox.sample
    if parsed is None:
        return
    with structlog.contextvars.bound_contextvars(**{REHEARSAL: True}):
        async with ctx.db.rehearsal() as session:
            cv = await rehearsal_cv(session)
            event = upload_command(cv)
            key = idempotency_key(event.event_id)
            await messages_repo.was_processed(session, CONSUMER, key)
            work = await _check(ctx, session, event, rerun=False)
            analysis = await scoring.analysis_of(ctx, parsed, None) if is_local(ctx.ai) else None
            await messages_repo.claim(session, CONSUMER, key)
            await _record(ctx, session, event, False, parsed if work else None, analysis)


async def _parse_counted(
    ctx: WorkerContext, event: CvUploaded, key: DataKey | None, attempts: int
) -> ParsedCv | Failure:
    """Parse, unless earlier parses of this CV never finished (``attempts`` counts this
    one too).

    The sandbox bounds a parse, but not the death of the worker itself (the machine's OOM
    killer, a crash below Python): its offset is then never committed and the CV comes
    back on every start. The count is committed before the parse and reset by its outcome.
    """
    if attempts > ctx.settings.parsing.max_attempts:
        log.warning("cv given up after unfinished parses", cv_id=str(event.cv_id))
        return Failure(
            FILE_TOO_COMPLEX,
            "Reading this file stopped the parser several times; it cannot be analysed.",
        )
    if ctx.settings.fault.kill_during_parse:
        os.kill(os.getpid(), signal.SIGKILL)
    return await _parse(ctx, event, key)


async def _parse(ctx: WorkerContext, event: CvUploaded, key: DataKey | None) -> ParsedCv | Failure:
    try:
        stored = await ctx.storage.get(event.storage_key)
    except FileNotStoredError:
        return Failure("file_missing", "The uploaded file is no longer in storage.")
    if is_sealed_file(stored) and key is None:
        return Failure("file_missing", "The uploaded file can no longer be read.")
    try:
        data = key.open_file(stored, *file_place(event.storage_key)) if key else stored
    except DecryptionError:
        return Failure("unreadable_file", "The stored file does not decrypt.")
    try:
        # In a child process with a hard deadline: no file can hold this worker.
        return await ctx.sandbox.parse(data, event.file_kind)
    except ParseError as exc:
        return Failure(exc.code, exc.reason)
