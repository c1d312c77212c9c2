"""Parsing use case: read the stored file, extract the CV's facts, record the outcome."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

import structlog

from consumers import user_events
from consumers.context import WorkerContext
from consumers.parsing.errors import FILE_TOO_COMPLEX, ParseError
from consumers.runtime import idempotency_key, reprocessing
from consumers.scoring import service as scoring
from consumers.scoring.providers import is_local
from infra.crypto import DataKey, DecryptionError, is_sealed_file
from infra.db.models import Cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import users as users_repo
from infra.personal_data import file_place, job_description_of, set_parsed
from infra.storage import FileNotStoredError
from producers.outbox import stage_events
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


async def _handle(ctx: WorkerContext, event: CvUploaded) -> None:
    key = idempotency_key(event.event_id)
    rerun = event.reprocess or reprocessing()
    async with ctx.db.transaction() as session:
        if await messages_repo.was_processed(session, CONSUMER, key):
            log.info("duplicate message skipped")
            return
        cv = await session.get(Cv, event.cv_id)
        needs_work = cv is not None and (cv.status == CvStatus.QUEUED or rerun)
        data_key: DataKey | None = None
        job_description: str | None = None
        attempts = 0
        if cv is not None and needs_work:
            # Work for a user being erased is dropped, not done: it would only be deleted.
            needs_work = not await users_repo.erasure_requested(session, cv.user_id)
            if needs_work:
                data_key = await ctx.vault.key_if_any(session, cv.user_id)
                if is_local(ctx.ai):
                    job_description = job_description_of(data_key, cv)
                attempts = await cvs_repo.count_parse_attempt(session, cv.id)

    outcome: ParsedCv | Failure | None = None
    if needs_work:
        outcome = await _parse_counted(ctx, event, data_key, attempts)
    # An analysis that needs no network is made here rather than in a hop of its own: a
    # CV then crosses the broker once less. An AI provider's calls take seconds, which
    # this CPU-bound worker must not wait for: scoring makes that analysis on cv.parsed.
    analysis: Analysis | None = None
    if isinstance(outcome, ParsedCv) and is_local(ctx.ai):
        analysis = await scoring.analysis_of(ctx, outcome, job_description)

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key):
            return
        cv = await cvs_repo.for_update(session, event.cv_id)
        if cv is None or outcome is None or not (cv.status == CvStatus.QUEUED or rerun):
            log.info("nothing to parse", cv_found=cv is not None)
            return
        if not await users_repo.hold_unless_erasing(session, cv.user_id):
            log.info("user being erased, result dropped")
            return
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
        user_id = cv.user_id
    log.info("cv parsed", cv_id=str(event.cv_id), status=data["status"])
    await ctx.wake_user_streams(user_id, wake)


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
