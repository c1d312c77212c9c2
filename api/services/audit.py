"""Recording security-relevant actions in the audit trail.

Actions are dotted names (``auth.login``, ``mfa.enabled``, ``api_key.created``,
``ops.redrive``); the entry joins the caller's transaction, so an action and its trail
commit together. ``detail`` holds ids and codes, never personal data or secrets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.repositories import audit as audit_repo

_MAX_USER_AGENT = 256


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Who is on the other end of a request, as far as the audit trail is concerned."""

    ip: str | None
    user_agent: str | None
    request_id: str | None

    @classmethod
    def of(cls, ip: str | None, user_agent: str | None, request_id: str | None) -> RequestMeta:
        return cls(
            ip=ip, user_agent=(user_agent or "")[:_MAX_USER_AGENT] or None, request_id=request_id
        )

    @property
    def correlation_id(self) -> str:
        """What the events a request causes carry, so the logs of its work join up."""
        return self.request_id or str(uuid.uuid4())


NO_REQUEST = RequestMeta(ip=None, user_agent=None, request_id=None)


async def record(
    session: AsyncSession,
    action: str,
    meta: RequestMeta,
    *,
    actor_id: uuid.UUID | None,
    subject_id: uuid.UUID | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> int:
    """Append the entry; its id."""
    entry = await audit_repo.append(
        session,
        action=action,
        outcome=outcome,
        actor_id=actor_id,
        subject_id=subject_id if subject_id is not None else actor_id,
        ip=meta.ip,
        user_agent=meta.user_agent,
        request_id=meta.request_id,
        detail=detail or {},
    )
    return entry.id
