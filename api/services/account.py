"""The signed-in user's security: password change and the list of sessions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit, security_alerts
from api.services.audit import RequestMeta
from api.services.auth import TokenPair, issue
from api.services.errors import InvalidPasswordError, NotFoundError
from api.services.passwords import check_password
from api.services.sessions import SessionChecks
from infra.db.repositories import sessions as sessions_repo
from infra.db.repositories import users as users_repo
from infra.db.repositories.sessions import FamilyRow
from infra.security import Hashing
from infra.settings import AuthSettings
from schemas.users import SecurityAlertKind


async def change_password(
    session: AsyncSession,
    auth: AuthSettings,
    hashing: Hashing,
    sessions: SessionChecks,
    user_id: uuid.UUID,
    current_password: str,
    new_password: str,
    meta: RequestMeta,
) -> TokenPair:
    """Every session ends (a thief holding one is out); the caller gets a fresh pair."""
    user = await users_repo.by_id(session, user_id, lock=True)
    if user is None:
        raise NotFoundError("No such user.")
    if not await hashing.verify(user.password_hash, current_password):
        await session.rollback()
        await audit.record(
            session,
            "auth.password_changed",
            meta,
            actor_id=user_id,
            outcome="failed",
            detail={"reason": "invalid_password"},
        )
        await session.commit()
        raise InvalidPasswordError("The current password is wrong.")
    check_password(new_password)
    user.password_hash = await hashing.hash(new_password)
    now = datetime.now(UTC)
    user.updated_at = now
    revoked = await sessions_repo.revoke_all(session, user_id, now)
    pair = await issue(session, auth, user_id, family_id=uuid.uuid4(), meta=meta)
    await security_alerts.record(
        session,
        "auth.password_changed",
        meta,
        SecurityAlertKind.PASSWORD_CHANGED,
        user_id=user_id,
        detail={"tokens_revoked": revoked},
    )
    await session.commit()
    # Access tokens of the revoked families stop at once here, elsewhere within the check.
    sessions.forget()
    return pair


async def list_sessions(session: AsyncSession, user_id: uuid.UUID) -> Sequence[FamilyRow]:
    return await sessions_repo.active_families(session, user_id, datetime.now(UTC))


async def revoke_session(
    session: AsyncSession,
    sessions: SessionChecks,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    meta: RequestMeta,
) -> None:
    if not await sessions_repo.revoke_user_family(session, user_id, family_id, datetime.now(UTC)):
        # Another user's session is "not found" too: a 403 would confirm that it exists.
        raise NotFoundError("No session with this id.")
    await audit.record(
        session, "session.revoked", meta, actor_id=user_id, detail={"session_id": str(family_id)}
    )
    await session.commit()
    sessions.forget()
