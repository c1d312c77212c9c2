"""CV submission and reads. Submission stores the file, then writes the CV row and its
``cv.uploaded`` command in one transaction (the outbox), so neither exists without the other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import entitlements
from api.services.errors import (
    CvNotReadyError,
    NotAuthenticatedError,
    NotFoundError,
    ReportNotReadyError,
)
from api.services.uploads import check_upload, safe_filename
from infra.db.models import Analysis, Cv
from infra.db.rehearsal import rehearsal_cv
from infra.db.repositories import cvs as cvs_repo
from infra.db.repositories import search as search_repo
from infra.db.repositories import users as users_repo
from infra.db.session import Database
from infra.entitlements import Metric
from infra.logging import REHEARSAL
from infra.personal_data import (
    analysis_body,
    file_place,
    filename_of,
    set_filename,
    set_job_description,
)
from infra.settings import BillingSettings
from infra.storage import FileNotStoredError, ObjectStore
from infra.vault import Vault
from producers.outbox import stage_events, upload_command
from schemas.cv import CvStatus
from schemas.events import CvMatchRequested, CvUploaded
from schemas.files import MEDIA_TYPES, report_key

log = structlog.get_logger(__name__)


async def submit(
    session: AsyncSession,
    storage: ObjectStore,
    vault: Vault,
    *,
    user_id: uuid.UUID,
    filename: str | None,
    data: bytes,
    job_description: str | None,
    correlation_id: str,
    max_bytes: int,
    billing: BillingSettings,
) -> Cv:
    kind = check_upload(data, max_bytes)
    cv_id = uuid.uuid4()
    key = f"cvs/{user_id}/{cv_id}/original.{kind}"
    cv = Cv(
        id=cv_id,
        user_id=user_id,
        filename="",
        storage_key=key,
        file_kind=kind,
        size_bytes=len(data),
        correlation_id=correlation_id,
        status=CvStatus.QUEUED,
    )
    try:
        await _hold_account(session, user_id)
        await entitlements.spend(session, billing, user_id, Metric.ANALYSES, cv_id)
        # The key is created (if this is the user's first file) in the CV's transaction.
        data_key = await vault.key_or_create(session, user_id)
        set_filename(data_key, cv, safe_filename(filename))
        set_job_description(data_key, cv, (job_description or "").strip() or None)
        await storage.put(key, data_key.seal_file(data, *file_place(key)), MEDIA_TYPES[kind])
        await cvs_repo.add(session, cv)
        await stage_events(
            session,
            CvUploaded(
                correlation_id=correlation_id,
                user_id=user_id,
                cv_id=cv_id,
                storage_key=key,
                file_kind=kind,
                size_bytes=len(data),
            ),
        )
        await session.commit()
    except BaseException:
        # No row points at the file: remove it so a failed upload leaves nothing behind.
        await session.rollback()
        await storage.delete(key)
        raise
    log.info("cv submitted", cv_id=str(cv_id), file_kind=kind, size_bytes=len(data))
    return cv


async def rehearse_upload(db: Database, vault: Vault, billing: BillingSettings) -> None:
    """An upload's statements once, rolled back (see ``Database.rehearsal``): the API's
    first upload is then as fast as the next ones. Nothing is stored, published or logged."""
    with structlog.contextvars.bound_contextvars(**{REHEARSAL: True}):
        async with db.rehearsal() as session:
            cv = await rehearsal_cv(session)
            await _hold_account(session, cv.user_id)
            await entitlements.spend(session, billing, cv.user_id, Metric.ANALYSES, cv.id)
            await vault.key_or_create(session, cv.user_id)
            await stage_events(session, upload_command(cv))


async def _hold_account(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Keep the account from being erased until this transaction ends, or refuse.

    The session check is remembered for a few seconds, so a request can arrive after the
    erasure began: written then, its CV would outlive the erasure's sweep."""
    if not await users_repo.hold_unless_erasing(session, user_id):
        raise NotAuthenticatedError("This account is being erased.")


async def request_match(
    session: AsyncSession,
    vault: Vault,
    *,
    user_id: uuid.UUID,
    cv_id: uuid.UUID,
    job_description: str,
    correlation_id: str,
    billing: BillingSettings,
) -> Cv:
    """Record the job description and ask scoring for a new analysis against it (a new
    analysis: it counts against the plan like an upload)."""
    await _hold_account(session, user_id)
    cv = await cvs_repo.for_user(session, cv_id, user_id, lock=True)
    if cv is None:
        raise NotFoundError("No CV with this id.")
    if cv.status != CvStatus.SCORED:
        # Before scoring, the job description given at upload is used; a failed CV has no facts.
        raise CvNotReadyError(f"The CV is {cv.status}; a match needs a scored CV.")
    await entitlements.spend(session, billing, user_id, Metric.ANALYSES, uuid.uuid4())
    set_job_description(await vault.key_or_create(session, user_id), cv, job_description.strip())
    await stage_events(
        session, CvMatchRequested(correlation_id=correlation_id, user_id=user_id, cv_id=cv.id)
    )
    await session.commit()
    return cv


@dataclass(frozen=True)
class CvView:
    """A CV as its owner sees it: sealed parts opened."""

    cv: Cv
    filename: str
    analysis: Analysis | None = None
    analysis_body: dict[str, Any] | None = None


async def get(session: AsyncSession, vault: Vault, user_id: uuid.UUID, cv_id: uuid.UUID) -> CvView:
    # Another user's CV is "not found": a 403 would confirm that it exists.
    cv = await cvs_repo.for_user(session, cv_id, user_id)
    if cv is None:
        raise NotFoundError("No CV with this id.")
    key = await vault.key_if_any(session, user_id)
    analysis = await cvs_repo.latest_analysis(session, cv_id)
    body = analysis_body(key, analysis) if analysis is not None else None
    return CvView(cv, filename_of(key, cv), analysis, body)


@dataclass
class AnalysisVersion:
    """One analysis of a CV, as the side-by-side comparison of its versions shows it."""

    version: int
    created_at: datetime
    score: int
    # Category name → its score, in the rubric's order.
    breakdown: dict[str, int]
    job_match: int | None


async def versions(
    session: AsyncSession, vault: Vault, user_id: uuid.UUID, cv_id: uuid.UUID
) -> list[AnalysisVersion]:
    """Every analysis of the user's CV, oldest first (each re-match adds a version)."""
    if await cvs_repo.for_user(session, cv_id, user_id) is None:
        raise NotFoundError("No CV with this id.")
    rows = await cvs_repo.analyses_of(session, cv_id)
    key = await vault.key_if_any(session, user_id) if rows else None
    found = []
    for row in rows:
        body = analysis_body(key, row)
        match = body.get("job_match")
        found.append(
            AnalysisVersion(
                version=row.version,
                created_at=row.created_at,
                score=row.score,
                breakdown={b["category"]: int(b["score"]) for b in body.get("breakdown", [])},
                job_match=int(match["score"]) if match else None,
            )
        )
    return found


async def report(
    session: AsyncSession,
    storage: ObjectStore,
    vault: Vault,
    user_id: uuid.UUID,
    cv_id: uuid.UUID,
) -> bytes:
    """The PDF report of the CV's latest analysis; not ready until the report worker
    stored it (a new analysis version waits for its own report)."""
    view = await get(session, vault, user_id, cv_id)
    if view.analysis is None:
        raise ReportNotReadyError("The CV has not been analysed yet.")
    key = report_key(view.cv.user_id, view.cv.id, view.analysis.version)
    try:
        stored = await storage.get(key)
    except FileNotStoredError as exc:
        raise ReportNotReadyError("The report of the latest analysis is being prepared.") from exc
    data_key = await vault.key_if_any(session, user_id)
    return data_key.open_file(stored, *file_place(key)) if data_key else stored


async def list_for_user(
    session: AsyncSession,
    vault: Vault,
    user_id: uuid.UUID,
    *,
    limit: int,
    offset: int,
    query: str | None = None,
) -> tuple[list[CvView], int]:
    """The user's CVs, newest first; with ``query``, only those whose analysis matches
    it (skills, titles, companies, headings, suggestions), best match first."""
    if query is not None and query.strip():
        cvs, total = await search_repo.search(
            session, user_id, query.strip(), limit=limit, offset=offset
        )
    else:
        cvs, total = await cvs_repo.page_for_user(session, user_id, limit=limit, offset=offset)
    analyses = await cvs_repo.latest_analyses(session, [cv.id for cv in cvs]) if cvs else {}
    key = await vault.key_if_any(session, user_id) if cvs else None
    return [CvView(cv, filename_of(key, cv), analyses.get(cv.id)) for cv in cvs], total
