"""Administration: users, their roles and their access, and the audit trail.

Every change is recorded with the administrator as the actor and the account as the
subject. There is always an administrator left: the last one can be neither demoted
nor disabled, whoever asks."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit
from api.services.audit import RequestMeta
from api.services.auth import normalise_email
from api.services.errors import LastAdminError, UserNotFoundError
from api.services.passwords import check_password
from api.services.sessions import SessionChecks
from infra.db.models import AuditEntry, User
from infra.db.repositories import audit as audit_repo
from infra.db.repositories import sessions as sessions_repo
from infra.db.repositories import users as users_repo
from infra.security import Hashing
from producers.outbox import stage_events
from schemas.users import Locale, UserRegistered

Role = Literal["user", "operator", "admin"]
ROLES: tuple[Role, ...] = ("user", "operator", "admin")


async def list_users(
    session: AsyncSession,
    *,
    email_contains: str | None,
    role: Role | None,
    disabled: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[User], int]:
    return await users_repo.page(
        session,
        email_contains=email_contains,
        role=role,
        disabled=disabled,
        limit=limit,
        offset=offset,
    )


async def get_user(session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> User:
    user = await users_repo.by_id(session, user_id, lock=lock)
    if user is None:
        raise UserNotFoundError()
    return user


async def _keep_an_admin(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Refuse to take the last active admin away; locks the admins until commit."""
    admins = await users_repo.lock_active_admins(session)
    if admins == [user_id]:
        raise LastAdminError()


async def change_role(
    session: AsyncSession,
    sessions: SessionChecks,
    *,
    actor_id: uuid.UUID | None,
    user_id: uuid.UUID,
    role: Role,
    meta: RequestMeta,
) -> User:
    """The new role applies from the account's next request (other API processes: within
    the session-check interval). Setting the role it has changes nothing."""
    if role != "admin":
        await _keep_an_admin(session, user_id)
    user = await get_user(session, user_id, lock=True)
    if user.role == role:
        # Ends the transaction and its locks; a rollback would expire what is returned.
        await session.commit()
        return user
    previous, user.role = user.role, role
    await audit.record(
        session,
        "admin.role_changed",
        meta,
        actor_id=actor_id,
        subject_id=user_id,
        detail={"from": previous, "to": role},
    )
    await session.commit()
    sessions.forget()
    return user


async def disable(
    session: AsyncSession,
    sessions: SessionChecks,
    *,
    actor_id: uuid.UUID,
    user_id: uuid.UUID,
    meta: RequestMeta,
) -> User:
    """Refuse the account from its next request on: its refresh tokens are revoked and its
    access tokens stop at the session check. Disabling a disabled account changes nothing."""
    await _keep_an_admin(session, user_id)
    user = await get_user(session, user_id, lock=True)
    if user.disabled_at is not None:
        await session.commit()
        return user
    now = datetime.now(UTC)
    user.disabled_at = now
    revoked = await sessions_repo.revoke_all(session, user_id, now)
    await audit.record(
        session,
        "admin.user_disabled",
        meta,
        actor_id=actor_id,
        subject_id=user_id,
        detail={"tokens_revoked": revoked},
    )
    await session.commit()
    sessions.forget()
    return user


async def enable(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None,
    user_id: uuid.UUID,
    meta: RequestMeta,
) -> User:
    """The account may log in again; the sessions it had stay ended."""
    user = await get_user(session, user_id, lock=True)
    if user.disabled_at is None:
        await session.commit()
        return user
    user.disabled_at = None
    await audit.record(session, "admin.user_enabled", meta, actor_id=actor_id, subject_id=user_id)
    await session.commit()
    return user


@dataclass(frozen=True)
class AuditFilter:
    actor_id: uuid.UUID | None = None
    subject_id: uuid.UUID | None = None
    involving: uuid.UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    items: Sequence[AuditEntry]
    # The ``before`` of the next (older) page; None on the last page.
    next_cursor: int | None


async def audit_page(
    session: AsyncSession, filters: AuditFilter, *, before: int | None, limit: int
) -> AuditPage:
    """Newest first. A cursor rather than an offset: entries keep arriving at the top."""
    rows = await audit_repo.page(
        session,
        before_id=before,
        limit=limit + 1,
        involving=filters.involving,
        actor_id=filters.actor_id,
        subject_id=filters.subject_id,
        action=filters.action,
        since=filters.since,
        until=filters.until,
    )
    items = rows[:limit]
    return AuditPage(items, items[-1].id if len(rows) > limit else None)


@dataclass(frozen=True)
class AdminBootstrap:
    user_id: uuid.UUID
    created: bool
    promoted: bool
    enabled: bool


async def create_admin(
    session: AsyncSession,
    hashing: Hashing,
    sessions: SessionChecks,
    email: str,
    password: Callable[[], str],
    *,
    locale: Locale = "pt-BR",
    meta: RequestMeta = audit.NO_REQUEST,
) -> AdminBootstrap:
    """Make the account of ``email`` an admin who can sign in, creating it (with
    ``password()``, asked only then) when there is none; a disabled account is enabled, or
    a lone disabled admin could never be let back in. Running it again changes nothing.
    The actor is unknown: whoever holds the database's credentials."""
    email = normalise_email(email)
    user = await users_repo.by_email(session, email)
    created = user is None
    if user is None:
        secret = password()
        check_password(secret)
        try:
            user = await users_repo.create(
                session, email=email, password_hash=await hashing.hash(secret), locale=locale
            )
        except users_repo.EmailTakenError:
            # Created meanwhile (the command run twice at once): promote that account.
            created, user = False, await users_repo.by_email(session, email)
            assert user is not None
        else:
            await stage_events(
                session,
                UserRegistered(correlation_id=meta.correlation_id, user_id=user.id, locale=locale),
            )
            await audit.record(session, "auth.registered", meta, actor_id=None, subject_id=user.id)
            await session.commit()
    enabled = user.disabled_at is not None
    promoted = user.role != "admin"
    if promoted:
        await change_role(
            session, sessions, actor_id=None, user_id=user.id, role="admin", meta=meta
        )
    if enabled:
        await enable(session, actor_id=None, user_id=user.id, meta=meta)
    return AdminBootstrap(user.id, created, promoted, enabled)
