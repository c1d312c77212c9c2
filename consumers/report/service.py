"""Report use case: render the PDF of a scored analysis, store it, tell the user."""

from __future__ import annotations

import asyncio

import structlog

from consumers import user_events
from consumers.context import WorkerContext
from consumers.report.render import render_report
from consumers.runtime import idempotency_key
from infra.db.models import Cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import users as users_repo
from infra.personal_data import analysis_body, file_place
from producers.outbox import stage_events
from schemas.cv import Analysis
from schemas.events import CvScored, ReportReady
from schemas.files import report_key

CONSUMER = "report"
log = structlog.get_logger(__name__)


async def handle_cv_scored(ctx: WorkerContext, event: CvScored) -> None:
    key = idempotency_key(event.event_id)
    async with ctx.db.reads() as session:
        if await messages_repo.was_processed(session, CONSUMER, key):
            log.info("duplicate message skipped")
            return
        cv = await session.get(Cv, event.cv_id)
        row = await cvs_repo.analysis_version(session, event.cv_id, event.analysis_version)
        analysis: Analysis | None = None
        data_key = None
        # Work for a user being erased is dropped, not done: it would only be deleted.
        if (
            cv is not None
            and row is not None
            and not await users_repo.erasure_requested(session, cv.user_id)
        ):
            data_key = await ctx.vault.key_if_any(session, cv.user_id)
            analysis = Analysis.model_validate(analysis_body(data_key, row))
    stored = report_key(cv.user_id, cv.id, event.analysis_version) if cv is not None else ""
    if analysis is not None:
        # Rendering is CPU work of a few tens of milliseconds: keep the loop free for
        # heartbeats. The report quotes the CV (evidence, employers): it is sealed with
        # the user's key like the CV file. Writing it again on a redelivery is harmless.
        pdf = await asyncio.to_thread(render_report, analysis, event.analysis_version)
        sealed = data_key.seal_file(pdf, *file_place(stored)) if data_key else pdf
        await ctx.storage.put(stored, sealed, "application/pdf")

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key):
            return
        cv = await session.get(Cv, event.cv_id)
        if analysis is None or cv is None or not stored:
            # The CV was deleted (or the version never existed): nothing to report.
            log.info("nothing to report", cv_found=cv is not None)
            return
        if not await users_repo.hold_unless_erasing(session, cv.user_id):
            log.info("user being erased, report dropped")
            return
        data = {
            "cv_id": str(cv.id),
            "analysis_version": event.analysis_version,
            "url": f"/v1/cvs/{cv.id}/report.pdf",
        }
        await stage_events(
            session,
            event.caused(
                ReportReady,
                cv_id=cv.id,
                analysis_version=event.analysis_version,
                report_key=stored,
            ),
        )
        wake = await user_events.record(session, cv.user_id, ReportReady.TYPE, data)
        user_id = cv.user_id
    log.info("report stored", cv_id=str(event.cv_id), version=event.analysis_version)
    await ctx.wake_user_streams(user_id, wake)
