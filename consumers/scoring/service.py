"""Scoring use cases: analyse a parsed CV — after parsing, or against a new job
description — and save the analysis as a new version."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.context import WorkerContext
from consumers.parsing.skills import find_skills
from consumers.runtime import idempotency_key, reprocessing
from consumers.scoring.providers import recorded
from consumers.scoring.search_terms import search_terms
from infra.db.models import Cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import search as search_repo
from infra.db.repositories import users as users_repo
from infra.personal_data import job_description_of, parsed_of, sealed_analysis
from producers.outbox import stage_events
from schemas.cv import Analysis, CvStatus, ParsedCv
from schemas.envelope import Event
from schemas.events import CvMatchRequested, CvParsed, CvScored

CONSUMER = "scoring"
log = structlog.get_logger(__name__)


async def handle_cv_parsed(ctx: WorkerContext, event: CvParsed) -> None:
    def needs_scoring(cv: Cv) -> bool:
        if cv.status == CvStatus.PARSED:
            return True
        return (event.reprocess or reprocessing()) and cv.status == CvStatus.SCORED

    await _score(ctx, event, event.cv_id, needs_scoring)


async def handle_match_requested(ctx: WorkerContext, event: CvMatchRequested) -> None:
    # A CV still being parsed will be scored with the new job description anyway.
    await _score(ctx, event, event.cv_id, lambda cv: cv.status == CvStatus.SCORED)


async def _score(
    ctx: WorkerContext, event: Event, cv_id: uuid.UUID, needs: Callable[[Cv], bool]
) -> None:
    key = idempotency_key(event.event_id)
    async with ctx.db.reads() as session:
        if await messages_repo.was_processed(session, CONSUMER, key):
            log.info("duplicate message skipped")
            return
        cv = await session.get(Cv, cv_id)
        parsed: dict[str, Any] | None = None
        job_description: str | None = None
        # Work for a user being erased is dropped, not done: it would only be deleted.
        if (
            cv is not None
            and cv.parsed is not None
            and needs(cv)
            and not await users_repo.erasure_requested(session, cv.user_id)
        ):
            data_key = await ctx.vault.key_if_any(session, cv.user_id)
            parsed = parsed_of(data_key, cv)
            job_description = job_description_of(data_key, cv)
    analysis: Analysis | None = None
    if parsed is not None:
        # Outside any transaction: an AI call may take seconds.
        analysis = await analysis_of(ctx, ParsedCv.model_validate(parsed), job_description)

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key):
            return
        cv = await cvs_repo.for_update(session, cv_id)
        if analysis is None or cv is None or cv.parsed is None or not needs(cv):
            log.info("nothing to score", cv_found=cv is not None)
            return
        if not await users_repo.hold_unless_erasing(session, cv.user_id):
            log.info("user being erased, result dropped")
            return
        scored = await save_analysis(ctx, session, cv, analysis, event)
        wake = await user_events.record(session, cv.user_id, CvScored.TYPE, scored)
        user_id = cv.user_id
    await ctx.wake_user_streams(user_id, wake)


async def analysis_of(ctx: WorkerContext, cv: ParsedCv, job_description: str | None) -> Analysis:
    # The job's hard skills come from the same taxonomy as the CV's, so they compare.
    job_skills = find_skills(job_description) if job_description else None
    return recorded(await ctx.ai.analyse(cv, job_description, job_skills))


async def save_analysis(
    ctx: WorkerContext, session: AsyncSession, cv: Cv, analysis: Analysis, cause: Event
) -> dict[str, Any]:
    """Store ``analysis`` as the CV's next version, index it for search, mark the CV
    scored and stage ``cv.scored``, all in the caller's transaction (which holds the CV
    and the user, see ``hold_unless_erasing``); returns what to record in the owner's
    event log, which the caller does last (see ``user_events_repo.add``)."""
    analysis_id = uuid.uuid4()
    public, sealed = sealed_analysis(
        await ctx.vault.key_or_create(session, cv.user_id),
        analysis_id,
        analysis.model_dump(mode="json"),
    )
    saved = await cvs_repo.add_analysis(
        session,
        cv_id=cv.id,
        provider=analysis.provider,
        rubric_version=analysis.rubric_version,
        score=analysis.score,
        body=public,
        body_sealed=sealed,
        analysis_id=analysis_id,
    )
    terms = search_terms(analysis)
    await search_repo.index_cv(
        session,
        cv_id=cv.id,
        user_id=cv.user_id,
        analysis_version=saved.version,
        primary=terms.primary,
        headings=terms.headings,
        suggestions=terms.suggestions,
    )
    cv.status = CvStatus.SCORED
    data = {
        "cv_id": str(cv.id),
        "status": cv.status,
        "score": analysis.score,
        "analysis_version": saved.version,
        "job_match": analysis.job_match.score if analysis.job_match else None,
    }
    await stage_events(
        session,
        cause.caused(
            CvScored,
            cv_id=cv.id,
            analysis_version=saved.version,
            score=analysis.score,
            provider=analysis.provider,
        ),
    )
    log.info("cv scored", cv_id=str(cv.id), score=analysis.score, version=saved.version)
    return data
