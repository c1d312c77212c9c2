"""The user's data rights: ``POST /v1/me/export``, ``GET /v1/me/exports/{id}`` (+ its
download) and ``DELETE /v1/me`` (erasure)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from api.deps import RequestMetaDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import USER, CurrentUserId, requires
from api.schemas import ErasureIn, ErasureRequested, ExportOut, ExportRequested
from api.services import privacy

router = APIRouter(prefix="/v1/me", tags=["privacy"])


@router.post(
    "/export",
    dependencies=[requires(USER)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ExportRequested,
    responses={401: PROBLEM},
)
async def request_export(
    user_id: CurrentUserId, session: SessionDep, meta: RequestMetaDep
) -> ExportRequested:
    """Ask for a zip of everything held about you; ``user.export-ready`` on
    ``GET /v1/events`` says when it can be downloaded."""
    export = await privacy.request_export(session, user_id, meta)
    return ExportRequested(id=export.id)


@router.get(
    "/exports/{export_id}",
    dependencies=[requires(USER)],
    response_model=ExportOut,
    responses={401: PROBLEM, 404: PROBLEM},
)
async def get_export(
    export_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep
) -> ExportOut:
    state = await privacy.export_state(session, user_id, export_id)
    return ExportOut(
        id=state.id,
        status=state.status,
        download_url=state.download_url,
        expires_at=state.expires_at,
    )


@router.get(
    "/exports/{export_id}/download",
    dependencies=[requires(USER)],
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "The export archive"},
        401: PROBLEM,
        404: PROBLEM,
        409: PROBLEM,
        410: PROBLEM,
    },
)
async def download_export(
    export_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> Response:
    """The archive itself; it needs the owner's bearer token, like every other route."""
    data = await privacy.download_export(
        session, resources.storage, resources.vault, user_id, export_id, meta
    )
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="recoloca-export-{export_id}.zip"',
            "Cache-Control": "no-store",
        },
    )


@router.delete(
    "",
    dependencies=[requires(USER)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ErasureRequested,
    responses={401: PROBLEM, 403: PROBLEM, 422: PROBLEM},
)
async def erase_me(
    body: ErasureIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> ErasureRequested:
    """Erase your account and everything held about you. Tokens and log-in stop at once;
    the data is gone within a minute (the audit trail keeps a pseudonym)."""
    erasure = await privacy.request_erasure(
        session,
        hashing=resources.hashing,
        sessions=resources.sessions,
        keys=resources.vault.keys,
        mfa_settings=resources.settings.mfa,
        user_id=user_id,
        password=body.password,
        code=body.code,
        meta=meta,
    )
    return ErasureRequested(id=erasure.id)
