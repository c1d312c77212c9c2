"""Security-relevant changes the owner of an account hears of: each is written to the
audit trail and announced through the outbox in the transaction of the change, so an
alert goes out exactly when the change commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit
from api.services.audit import RequestMeta
from api.services.devices import is_known_device
from infra.db.repositories import sessions as sessions_repo
from producers.outbox import stage_events
from schemas.users import SecurityAlertKind, UserSecurityAlert


async def record(
    session: AsyncSession,
    action: str,
    meta: RequestMeta,
    kind: SecurityAlertKind,
    *,
    user_id: uuid.UUID,
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit entry of ``action`` and the alert that points at it."""
    audit_id = await audit.record(session, action, meta, actor_id=user_id, detail=detail)
    await stage_events(
        session,
        UserSecurityAlert(
            correlation_id=meta.correlation_id, user_id=user_id, kind=kind, audit_id=audit_id
        ),
    )


async def record_sign_in(
    session: AsyncSession, user_id: uuid.UUID, meta: RequestMeta, detail: dict[str, Any]
) -> None:
    """Audit a sign-in; alert the owner when it comes from a device not seen before.
    Call before the new session's tokens are issued."""
    seen = await sessions_repo.user_agents(session, user_id)
    if is_known_device(meta.user_agent, seen):
        await audit.record(session, "auth.login", meta, actor_id=user_id, detail=detail)
    else:
        await record(
            session,
            "auth.login",
            meta,
            SecurityAlertKind.NEW_DEVICE,
            user_id=user_id,
            detail=detail,
        )
