"""Scoring use case: analyse a parsed CV and save the analysis as a new version."""

from __future__ import annotations

import structlog

from consumers import user_events
from consumers.context import WorkerContext
from consumers.runtime import idempotency_key, reprocessing
from consumers.scoring.providers import recorded
from infra.db.models import Cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from producers.outbox import stage_events
from schemas.cv import Analysis, CvStatus, ParsedCv
from schemas.events import CvParsed, CvScored

CONSUMER = "scoring"
log = structlog.get_logger(__name__)


def _needs_scoring(cv: Cv | None, event: CvParsed) -> bool:
    if cv is None or cv.parsed is None:
        return False
    if cv.status == CvStatus.PARSED:
        return True
    return (event.reprocess or reprocessing()) and cv.status == CvStatus.SCORED


async def handle_cv_parsed(ctx: WorkerContext, event: CvParsed) -> None:
    key = idempotency_key(event.event_id)
    async with ctx.db.sessions() as session:
        if await messages_repo.was_processed(session, CONSUMER, key):
            log.info("duplicate message skipped")
            return
        cv = await session.get(Cv, event.cv_id)
    analysis: Analysis | None = None
    if cv is not None and cv.parsed is not None and _needs_scoring(cv, event):
        # Outside any transaction: an AI call may take seconds.
        result = await ctx.ai.analyse(ParsedCv.model_validate(cv.parsed), cv.job_description)
        analysis = recorded(result, result.analysis.baseline_score)

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key):
            return
        cv = await cvs_repo.for_update(session, event.cv_id)
        if analysis is None or not _needs_scoring(cv, event):
            log.info("nothing to score", cv_found=cv is not None)
            return
        assert cv is not None
        saved = await cvs_repo.add_analysis(
            session,
            cv_id=cv.id,
            provider=analysis.provider,
            rubric_version=analysis.rubric_version,
            score=analysis.score,
            body=analysis.model_dump(mode="json"),
        )
        cv.status = CvStatus.SCORED
        data = {
            "cv_id": str(cv.id),
            "status": cv.status,
            "score": analysis.score,
            "analysis_version": saved.version,
        }
        wake = await user_events.record(session, cv.user_id, CvScored.TYPE, data)
        await stage_events(
            session,
            event.caused(
                CvScored,
                cv_id=cv.id,
                analysis_version=saved.version,
                score=analysis.score,
                provider=analysis.provider,
            ),
        )
        user_id = cv.user_id
    log.info("cv scored", cv_id=str(event.cv_id), score=analysis.score, version=saved.version)
    await ctx.wake_user_streams(user_id, wake)
