"""The data-subject rights: a copy of everything held about the user, and erasure.

Both only record the request and put a command on the bus (the outbox); the export and
erasure workers do the work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import audit, mfa
from api.services.audit import RequestMeta
from api.services.errors import (
    ExportExpiredError,
    ExportNotReadyError,
    InvalidPasswordError,
    MfaCodeRequiredError,
    NotAuthenticatedError,
    NotFoundError,
    StepUpMfaCodeError,
    StepUpMfaCodeReusedError,
)
from api.services.sessions import SessionChecks
from infra.crypto import MasterKeys
from infra.db.models import Erasure, Export
from infra.db.repositories import privacy as privacy_repo
from infra.db.repositories import sessions as sessions_repo
from infra.db.repositories import users as users_repo
from infra.security import Hashing
from infra.settings import MfaSettings
from infra.storage import ObjectStore
from infra.vault import Vault
from producers.outbox import stage_events
from schemas.privacy import ExportStatus, UserErasureRequested, UserExportRequested

log = structlog.get_logger(__name__)

QUEUED, READY, FAILED, EXPIRED = tuple(ExportStatus)


def download_path(export_id: uuid.UUID) -> str:
    return f"/v1/me/exports/{export_id}/download"


async def request_export(session: AsyncSession, user_id: uuid.UUID, meta: RequestMeta) -> Export:
    export = Export(id=uuid.uuid4(), user_id=user_id, status=QUEUED)
    await privacy_repo.add_export(session, export)
    await stage_events(
        session,
        UserExportRequested(
            correlation_id=meta.correlation_id, user_id=user_id, export_id=export.id
        ),
    )
    await audit.record(
        session,
        "privacy.export_requested",
        meta,
        actor_id=user_id,
        detail={"export_id": str(export.id)},
    )
    await session.commit()
    return export


@dataclass(frozen=True)
class ExportState:
    id: uuid.UUID
    status: str
    download_url: str | None
    expires_at: datetime | None


async def export_state(
    session: AsyncSession, user_id: uuid.UUID, export_id: uuid.UUID
) -> ExportState:
    export = await _own_export(session, user_id, export_id)
    status = export.status
    if status == READY and _expired(export):
        status = EXPIRED
    url = download_path(export.id) if status == READY else None
    return ExportState(export.id, status, url, export.expires_at)


async def download_export(
    session: AsyncSession,
    storage: ObjectStore,
    vault: Vault,
    user_id: uuid.UUID,
    export_id: uuid.UUID,
    meta: RequestMeta,
) -> bytes:
    """The archive, decrypted for its owner (it is stored sealed with the user's key)."""
    export = await _own_export(session, user_id, export_id)
    if export.status == EXPIRED or _expired(export):
        raise ExportExpiredError()
    if export.status != READY or export.storage_key is None:
        raise ExportNotReadyError()
    stored = await storage.get(export.storage_key)
    data = (await vault.key(session, user_id)).open_file(stored, "exports", export.id)
    await audit.record(
        session,
        "privacy.export_downloaded",
        meta,
        actor_id=user_id,
        detail={"export_id": str(export.id)},
    )
    await session.commit()
    return data


async def _own_export(session: AsyncSession, user_id: uuid.UUID, export_id: uuid.UUID) -> Export:
    # Another user's export is "not found": a 403 would confirm that it exists.
    export = await privacy_repo.export_for_user(session, export_id, user_id)
    if export is None:
        raise NotFoundError("No export with this id.")
    return export


def _expired(export: Export) -> bool:
    return export.expires_at is not None and export.expires_at <= datetime.now(UTC)


async def request_erasure(
    session: AsyncSession,
    *,
    hashing: Hashing,
    sessions: SessionChecks,
    keys: MasterKeys,
    mfa_settings: MfaSettings,
    user_id: uuid.UUID,
    password: str,
    code: str | None,
    meta: RequestMeta,
) -> Erasure:
    """Stop the account at once and ask every holder of its data to delete it."""
    user = await users_repo.by_id(session, user_id)
    if user is None:
        raise NotAuthenticatedError()
    try:
        await mfa.reauthenticate(session, mfa_settings, hashing, user, password, code, meta)
    except (
        InvalidPasswordError,
        MfaCodeRequiredError,
        StepUpMfaCodeError,
        StepUpMfaCodeReusedError,
    ):
        await audit.record(
            session, "privacy.erasure_requested", meta, actor_id=user_id, outcome="denied"
        )
        await session.commit()
        raise
    existing = await privacy_repo.open_erasure_of(session, user_id)
    if existing is not None:
        return existing
    now = datetime.now(UTC)
    await privacy_repo.mark_erasure_requested(session, user_id, now)
    await sessions_repo.revoke_all(session, user_id, now)
    erasure = Erasure(id=uuid.uuid4(), user_id=user_id, subject_pseudonym=keys.pseudonym(user_id))
    await privacy_repo.add_erasure(session, erasure)
    await stage_events(
        session,
        UserErasureRequested(
            correlation_id=meta.correlation_id, user_id=user_id, erasure_id=erasure.id
        ),
    )
    await audit.record(
        session,
        "privacy.erasure_requested",
        meta,
        actor_id=user_id,
        detail={"erasure_id": str(erasure.id)},
    )
    await session.commit()
    # This process's remembered session checks end now; others within the check interval.
    sessions.forget()
    log.info("erasure requested", erasure_id=str(erasure.id))
    return erasure
