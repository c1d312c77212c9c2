"""The signed-in user's own account: profile, password, sessions, second factor."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from api.deps import RequestMetaDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import USER, CurrentUserId, PrincipalDep, requires
from api.schemas import (
    ChangePasswordIn,
    MeOut,
    MeUpdate,
    MfaConfirmIn,
    MfaDisableIn,
    RecoveryCodesOut,
    SecurityActivityOut,
    SecurityActivityPage,
    SessionOut,
    TokenOut,
    TotpEnrolmentOut,
)
from api.services import account, admin, mfa, profile
from api.validation import MAX_BIGINT
from infra.db.models import User

router = APIRouter(prefix="/v1/me", tags=["me"])
_AUTH: dict[int | str, dict[str, Any]] = {401: PROBLEM}


def _me(user: User, mfa_enabled: bool) -> MeOut:
    return MeOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        time_zone=user.time_zone,
        target_role=user.target_role,
        seniority=user.seniority,
        role=user.role,
        mfa_enabled=mfa_enabled,
        email_verified_at=user.email_verified_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


@router.get("", dependencies=[requires(USER)], response_model=MeOut, responses=_AUTH)
async def get_me(user_id: CurrentUserId, session: SessionDep) -> MeOut:
    user = await profile.get(session, user_id)
    return _me(user, await mfa.is_enabled(session, user_id))


@router.patch(
    "", dependencies=[requires(USER)], response_model=MeOut, responses={**_AUTH, 422: PROBLEM}
)
async def update_me(
    body: MeUpdate, user_id: CurrentUserId, session: SessionDep, meta: RequestMetaDep
) -> MeOut:
    user = await profile.update(session, user_id, body.model_dump(exclude_unset=True), meta)
    return _me(user, await mfa.is_enabled(session, user_id))


@router.post(
    "/password",
    dependencies=[requires(USER)],
    response_model=TokenOut,
    responses={**_AUTH, 403: PROBLEM, 422: PROBLEM},
)
async def change_password(
    body: ChangePasswordIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> TokenOut:
    """Every session of the user ends; the answer is a new token pair for this client."""
    pair = await account.change_password(
        session,
        resources.settings.auth,
        resources.hashing,
        resources.sessions,
        user_id,
        body.current_password,
        body.new_password,
        meta,
    )
    return TokenOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.get(
    "/sessions", dependencies=[requires(USER)], response_model=list[SessionOut], responses=_AUTH
)
async def list_sessions(principal: PrincipalDep, session: SessionDep) -> list[SessionOut]:
    rows = await account.list_sessions(session, principal.user_id)
    return [
        SessionOut(
            id=row.family_id,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            user_agent=row.user_agent,
            ip=row.ip,
            current=row.family_id == principal.family_id,
        )
        for row in rows
    ]


@router.delete(
    "/sessions/{session_id}",
    dependencies=[requires(USER)],
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_AUTH, 404: PROBLEM},
)
async def revoke_session(
    session_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> None:
    await account.revoke_session(session, resources.sessions, user_id, session_id, meta)


@router.post(
    "/mfa/totp",
    dependencies=[requires(USER)],
    status_code=status.HTTP_201_CREATED,
    response_model=TotpEnrolmentOut,
    responses={**_AUTH, 409: PROBLEM},
)
async def start_totp(
    user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep, meta: RequestMetaDep
) -> TotpEnrolmentOut:
    """A new authenticator seed, pending until a code from it is confirmed."""
    enrolment = await mfa.start_enrolment(session, resources.settings, user_id, meta)
    return TotpEnrolmentOut(
        secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri, qr_svg=enrolment.qr_svg
    )


@router.post(
    "/mfa/totp/confirm",
    dependencies=[requires(USER)],
    response_model=RecoveryCodesOut,
    responses={**_AUTH, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def confirm_totp(
    body: MfaConfirmIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> RecoveryCodesOut:
    codes = await mfa.confirm_enrolment(
        session, resources.settings, resources.hashing, user_id, body.password, body.code, meta
    )
    return RecoveryCodesOut(recovery_codes=codes)


@router.delete(
    "/mfa/totp",
    dependencies=[requires(USER)],
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_AUTH, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def disable_totp(
    body: MfaDisableIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> None:
    await mfa.disable(
        session, resources.settings, resources.hashing, user_id, body.password, body.code, meta
    )


@router.get(
    "/security-activity",
    dependencies=[requires(USER)],
    response_model=SecurityActivityPage,
    responses={**_AUTH, 422: PROBLEM},
)
async def security_activity(
    user_id: CurrentUserId,
    session: SessionDep,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_BIGINT, description="`next_cursor` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SecurityActivityPage:
    """What happened to your account, newest first: log-ins (failed ones too), password
    and second-factor changes, sessions ended, and what administrators changed."""
    page = await admin.audit_page(
        session, admin.AuditFilter(involving=user_id), before=before, limit=limit
    )
    return SecurityActivityPage(
        items=[
            SecurityActivityOut(
                id=e.id,
                action=e.action,
                outcome=e.outcome,
                by_self=e.actor_id == user_id,
                ip=e.ip,
                user_agent=e.user_agent,
                detail=e.detail,
                created_at=e.created_at,
            )
            for e in page.items
        ],
        next_cursor=page.next_cursor,
    )
