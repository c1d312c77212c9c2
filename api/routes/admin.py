"""Administration: users (list, role, disable and enable) and the audit trail."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import RequestMetaDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import ADMIN, CurrentUserId, requires
from api.schemas import AdminUserOut, AdminUserPage, AuditEntryOut, AuditPageOut, Role, RoleIn
from api.services import admin
from api.validation import MAX_BIGINT, Moment, PlainText
from infra.db.models import AuditEntry, User

router = APIRouter(prefix="/v1/admin", tags=["admin"])
_ADMIN: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM, 422: PROBLEM}
_ONE_USER: dict[int | str, dict[str, Any]] = {**_ADMIN, 404: PROBLEM}


def _user(user: User) -> AdminUserOut:
    return AdminUserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        locale=user.locale,
        created_at=user.created_at,
        disabled_at=user.disabled_at,
        erasure_requested=user.erasure_requested_at is not None,
    )


def _audit_entry(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=entry.id,
        action=entry.action,
        outcome=entry.outcome,
        actor_id=entry.actor_id,
        subject_id=entry.subject_id,
        ip=entry.ip,
        user_agent=entry.user_agent,
        request_id=entry.request_id,
        detail=entry.detail,
        created_at=entry.created_at,
    )


@router.get(
    "/users", dependencies=[requires(ADMIN)], response_model=AdminUserPage, responses=_ADMIN
)
async def list_users(
    session: SessionDep,
    email: Annotated[
        PlainText | None, Query(max_length=320, description="Part of the e-mail address")
    ] = None,
    role: Annotated[Role | None, Query()] = None,
    disabled: Annotated[bool | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> AdminUserPage:
    """Accounts, newest first."""
    users, total = await admin.list_users(
        session, email_contains=email, role=role, disabled=disabled, limit=limit, offset=offset
    )
    return AdminUserPage(items=[_user(u) for u in users], total=total, limit=limit, offset=offset)


@router.get(
    "/users/{user_id}",
    dependencies=[requires(ADMIN)],
    response_model=AdminUserOut,
    responses=_ONE_USER,
)
async def get_user(user_id: uuid.UUID, session: SessionDep) -> AdminUserOut:
    return _user(await admin.get_user(session, user_id))


@router.patch(
    "/users/{user_id}",
    dependencies=[requires(ADMIN)],
    response_model=AdminUserOut,
    responses={**_ONE_USER, 409: PROBLEM},
)
async def change_role(
    user_id: uuid.UUID,
    body: RoleIn,
    actor_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> AdminUserOut:
    """Set the account's role; it applies from the account's next request. The last
    admin cannot be demoted (409 `last_admin`)."""
    user = await admin.change_role(
        session, resources.sessions, actor_id=actor_id, user_id=user_id, role=body.role, meta=meta
    )
    return _user(user)


@router.post(
    "/users/{user_id}/disable",
    dependencies=[requires(ADMIN)],
    response_model=AdminUserOut,
    responses={**_ONE_USER, 409: PROBLEM},
)
async def disable_user(
    user_id: uuid.UUID,
    actor_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    meta: RequestMetaDep,
) -> AdminUserOut:
    """Refuse the account from its next request: its sessions end, log-in is refused
    (403 `account_disabled`). The last admin cannot be disabled (409 `last_admin`)."""
    user = await admin.disable(
        session, resources.sessions, actor_id=actor_id, user_id=user_id, meta=meta
    )
    return _user(user)


@router.post(
    "/users/{user_id}/enable",
    dependencies=[requires(ADMIN)],
    response_model=AdminUserOut,
    responses=_ONE_USER,
)
async def enable_user(
    user_id: uuid.UUID, actor_id: CurrentUserId, session: SessionDep, meta: RequestMetaDep
) -> AdminUserOut:
    """The account may log in again (its old sessions stay ended)."""
    return _user(await admin.enable(session, actor_id=actor_id, user_id=user_id, meta=meta))


@router.get("/audit", dependencies=[requires(ADMIN)], response_model=AuditPageOut, responses=_ADMIN)
async def audit_log(
    session: SessionDep,
    actor: Annotated[uuid.UUID | None, Query(description="Who acted")] = None,
    subject: Annotated[uuid.UUID | None, Query(description="Whom it was about")] = None,
    action: Annotated[
        PlainText | None, Query(max_length=64, description="e.g. `auth.login`")
    ] = None,
    since: Annotated[Moment | None, Query(description="At or after")] = None,
    until: Annotated[Moment | None, Query(description="Before")] = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_BIGINT, description="`next_cursor` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPageOut:
    """The audit trail, newest first."""
    page = await admin.audit_page(
        session,
        admin.AuditFilter(
            actor_id=actor, subject_id=subject, action=action, since=since, until=until
        ),
        before=before,
        limit=limit,
    )
    return AuditPageOut(items=[_audit_entry(e) for e in page.items], next_cursor=page.next_cursor)
