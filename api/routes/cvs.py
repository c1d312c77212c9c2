from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import RequestIdDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.forms import cv_form_schema, read_cv_form
from api.policies import CVS_READ, CVS_WRITE, CurrentUserId, requires
from api.schemas import CvError, CvOut, CvPage, CvSubmitted, CvSummary, MatchIn
from api.services import cvs
from api.validation import MAX_BIGINT
from infra.personal_data import has_job_description
from infra.ratelimit import Bucket
from schemas.cv import Analysis, CvStatus

router = APIRouter(prefix="/v1/cvs", tags=["cvs"])


@router.post(
    "",
    dependencies=[requires(CVS_WRITE, limit=Bucket.UPLOADS)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CvSubmitted,
    responses={401: PROBLEM, 402: PROBLEM, 413: PROBLEM, 415: PROBLEM, 422: PROBLEM, 429: PROBLEM},
    openapi_extra={"requestBody": cv_form_schema()},
)
async def submit_cv(
    request: Request,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
) -> CvSubmitted:
    """Queue a CV for analysis; follow it with ``GET /v1/cvs/{id}`` or ``GET /v1/events``.
    402 ``plan_limit_reached`` past the plan's analyses this month.

    The body (multipart: one ``file``, an optional ``job_description``) is read only
    after the bearer token is checked."""
    max_bytes = resources.settings.api.max_upload_bytes
    form = await read_cv_form(request, max_bytes)
    cv = await cvs.submit(
        session,
        resources.storage,
        resources.vault,
        user_id=user_id,
        filename=form.filename,
        data=form.data,
        job_description=form.job_description,
        correlation_id=request_id,
        max_bytes=max_bytes,
        billing=resources.settings.billing,
    )
    return CvSubmitted(id=cv.id, status=CvStatus(cv.status))


@router.post(
    "/{cv_id}/match",
    dependencies=[requires(CVS_WRITE)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CvSubmitted,
    responses={401: PROBLEM, 402: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def match_cv(
    cv_id: uuid.UUID,
    body: MatchIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
) -> CvSubmitted:
    """Analyse a scored CV against a job description; a new analysis version follows
    (``cv.scored`` on ``GET /v1/events``), with ``job_match`` filled in. It counts as an
    analysis of the plan (402 ``plan_limit_reached`` past it)."""
    cv = await cvs.request_match(
        session,
        resources.vault,
        user_id=user_id,
        cv_id=cv_id,
        job_description=body.job_description,
        correlation_id=request_id,
        billing=resources.settings.billing,
    )
    return CvSubmitted(id=cv.id, status=CvStatus(cv.status))


@router.get(
    "",
    dependencies=[requires(CVS_READ)],
    response_model=CvPage,
    responses={401: PROBLEM, 422: PROBLEM},
)
async def list_cvs(
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Full-text search over your CVs' skills, job titles, "
            'headings and suggestions (Portuguese and English, accents ignored; "phrases", '
            "-excluded, or)",
        ),
    ] = None,
) -> CvPage:
    """Your CVs, newest first, or the ones matching ``q``, best match first."""
    rows, total = await cvs.list_for_user(
        session, resources.vault, user_id, limit=limit, offset=offset, query=q
    )
    items = [
        CvSummary(
            id=row.cv.id,
            status=CvStatus(row.cv.status),
            filename=row.filename,
            created_at=row.cv.created_at,
            score=row.analysis.score if row.analysis else None,
        )
        for row in rows
    ]
    return CvPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/{cv_id}",
    dependencies=[requires(CVS_READ)],
    response_model=CvOut,
    responses={401: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def get_cv(
    cv_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> CvOut:
    view = await cvs.get(session, resources.vault, user_id, cv_id)
    cv, analysis, body = view.cv, view.analysis, view.analysis_body
    return CvOut(
        id=cv.id,
        status=CvStatus(cv.status),
        filename=view.filename,
        created_at=cv.created_at,
        updated_at=cv.updated_at,
        has_job_description=has_job_description(cv),
        analysis_version=analysis.version if analysis else None,
        analysis=Analysis.model_validate(body) if body is not None else None,
        error=CvError(code=cv.error_code, reason=cv.error_reason) if cv.error_code else None,
    )


@router.get(
    "/{cv_id}/report.pdf",
    dependencies=[requires(CVS_READ)],
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The PDF report"},
        401: PROBLEM,
        404: PROBLEM,
        422: PROBLEM,
    },
)
async def get_report(
    cv_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> Response:
    """The PDF report of the latest analysis, in the CV's language. ``404`` with code
    ``report_not_ready`` until it is stored (``report.ready`` on ``GET /v1/events``)."""
    pdf = await cvs.report(session, resources.storage, resources.vault, user_id, cv_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="report-{cv_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
