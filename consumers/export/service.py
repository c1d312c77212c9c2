"""Export use case: gather every section about the user, store the archive sealed with
the user's key, tell the user it is ready."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.context import WorkerContext
from consumers.export.archive import Section, build_archive, safe_part, to_json
from consumers.runtime import idempotency_key
from infra.crypto import DataKey
from infra.db.models import CoachSuggestion, User
from infra.db.repositories import audit as audit_repo
from infra.db.repositories import billing as billing_repo
from infra.db.repositories import coach as coach_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import notifications as notifications_repo
from infra.db.repositories import privacy as privacy_repo
from infra.db.repositories import users as users_repo
from infra.personal_data import (
    analysis_body,
    coach_text_of,
    feedback_comment_of,
    file_place,
    filename_of,
    job_description_of,
    parsed_of,
    session_job_description_of,
    suggestion_change_of,
)
from infra.storage import FileNotStoredError
from producers.outbox import stage_events
from schemas.privacy import ExportStatus, UserExportReady, UserExportRequested

CONSUMER = "export"
QUEUED, READY = ExportStatus.QUEUED, ExportStatus.READY
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Subject:
    """What a section loader gets: the user's row, their key, the worker's resources."""

    ctx: WorkerContext
    session: AsyncSession
    user: User
    key: DataKey


SectionLoader = Callable[[Subject], Awaitable[Section]]


async def profile_section(subject: Subject) -> Section:
    user = subject.user
    profile = {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "locale": user.locale,
        "time_zone": user.time_zone,
        "target_role": user.target_role,
        "seniority": user.seniority,
        "role": user.role,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }
    sessions = [
        {
            "id": t.id,
            "family_id": t.family_id,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "used_at": t.used_at,
            "revoked_at": t.revoked_at,
            "user_agent": t.user_agent,
            "ip": t.ip,
        }
        for t in await privacy_repo.refresh_tokens_of(subject.session, user.id)
    ]
    keys = [
        {
            "id": k.id,
            "name": k.name,
            "prefix": k.prefix,
            "scopes": k.scopes,
            "created_at": k.created_at,
            "last_used_at": k.last_used_at,
            "revoked_at": k.revoked_at,
        }
        for k in await privacy_repo.api_keys_of(subject.session, user.id)
    ]
    return Section(
        "profile",
        "Your account, its sessions (refresh tokens) and its API keys (never the keys)",
        (
            ("profile.json", to_json(profile)),
            ("sessions.json", to_json(sessions)),
            ("api_keys.json", to_json(keys)),
        ),
    )


async def cvs_section(subject: Subject) -> Section:
    """Each CV: the original file as uploaded, what was extracted, every analysis."""
    session, key = subject.session, subject.key
    cvs = await privacy_repo.cvs_of(session, subject.user.id)
    analyses = await privacy_repo.analyses_of(session, [cv.id for cv in cvs]) if cvs else []
    files: list[tuple[str, bytes]] = []
    for cv in cvs:
        folder = str(cv.id)
        files.append(
            (
                f"{folder}/cv.json",
                to_json(
                    {
                        "id": cv.id,
                        "filename": filename_of(key, cv),
                        "file_kind": cv.file_kind,
                        "size_bytes": cv.size_bytes,
                        "status": cv.status,
                        "error_code": cv.error_code,
                        "job_description": job_description_of(key, cv),
                        "created_at": cv.created_at,
                        "updated_at": cv.updated_at,
                    }
                ),
            )
        )
        stored = await _stored_file(subject.ctx, cv.storage_key)
        if stored is not None:
            original = key.open_file(stored, *file_place(cv.storage_key))
            name = safe_part(filename_of(key, cv))
            files.append((f"{folder}/original/{name}", original))
        parsed = parsed_of(key, cv)
        if parsed is not None:
            files.append((f"{folder}/parsed.json", to_json(parsed)))
        for analysis in (a for a in analyses if a.cv_id == cv.id):
            body = {
                "version": analysis.version,
                "created_at": analysis.created_at,
                **analysis_body(key, analysis),
            }
            files.append((f"{folder}/analyses/v{analysis.version}.json", to_json(body)))
    return Section("cvs", "Your CVs: original files, extracted facts, analyses", tuple(files))


async def events_section(subject: Subject) -> Section:
    rows = await privacy_repo.user_events_of(subject.session, subject.user.id)
    events = [
        {"id": e.id, "type": e.type, "data": e.data, "created_at": e.created_at} for e in rows
    ]
    return Section(
        "events", "Your event stream and notifications", (("events.json", to_json(events)),)
    )


async def audit_section(subject: Subject) -> Section:
    rows = await privacy_repo.audit_of(subject.session, subject.user.id)
    entries = [
        {
            "id": e.id,
            "action": e.action,
            "outcome": e.outcome,
            "actor_id": e.actor_id,
            "subject_id": e.subject_id,
            "ip": e.ip,
            "user_agent": e.user_agent,
            "request_id": e.request_id,
            "detail": e.detail,
            "created_at": e.created_at,
        }
        for e in rows
    ]
    return Section(
        "audit", "Security-relevant actions by or about you", (("audit.json", to_json(entries)),)
    )


def _suggestion(key: DataKey | None, row: CoachSuggestion) -> dict[str, Any]:
    before, after = suggestion_change_of(key, row)
    return {
        "id": row.id,
        "section": row.section,
        "before": before,
        "after": after,
        "status": row.status,
        "decided_at": row.decided_at,
    }


async def coach_section(subject: Subject) -> Section:
    """Every coach session: its job description, each turn, the ratings given and the CV
    changes proposed (with what was decided)."""
    key = subject.key
    sessions = []
    changes = await coach_repo.user_suggestions(subject.session, subject.user.id)
    for row, messages, ratings in await coach_repo.user_coach_history(
        subject.session, subject.user.id
    ):
        turns = []
        for message in messages:
            feedback = ratings.get(message.id)
            turns.append(
                {
                    "id": message.id,
                    "role": message.role,
                    "status": message.status,
                    "text": coach_text_of(key, message),
                    "reply_to": message.reply_to,
                    "metadata": message.meta,
                    "created_at": message.created_at,
                    "completed_at": message.completed_at,
                    "rating": feedback.rating if feedback else None,
                    "rating_comment": feedback_comment_of(key, message.id, feedback.comment_sealed)
                    if feedback
                    else None,
                    "suggestions": [
                        _suggestion(key, suggestion) for suggestion in changes.get(message.id, [])
                    ],
                }
            )
        sessions.append(
            {
                "id": row.id,
                "cv_id": row.cv_id,
                "mode": row.mode,
                "job_description": session_job_description_of(key, row),
                "created_at": row.created_at,
                "messages": turns,
            }
        )
    return Section(
        "coach", "Your conversations with the career coach", (("sessions.json", to_json(sessions)),)
    )


async def billing_section(subject: Subject) -> Section:
    """The Stripe customer, subscriptions and invoices we keep (never a card: Stripe has it)."""
    session, user_id = subject.session, subject.user.id
    customers = await billing_repo.customers(session, user_id)
    subscriptions = [
        {
            "id": row.id,
            "status": row.status,
            "price_id": row.price_id,
            "interval": row.interval,
            "currency": row.currency,
            "current_period_end": row.current_period_end,
            "cancel_at_period_end": row.cancel_at_period_end,
            "past_due_since": row.past_due_since,
            "created_at": row.created_at,
        }
        for row in await billing_repo.subscriptions_of_user(session, user_id)
    ]
    invoices = [
        {
            "id": row.id,
            "number": row.number,
            "status": row.status,
            "amount_due": row.amount_due,
            "amount_paid": row.amount_paid,
            "currency": row.currency,
            "hosted_invoice_url": row.hosted_invoice_url,
            "created": row.stripe_created,
        }
        for row in await billing_repo.invoices_of_user(session, user_id)
    ]
    body = {
        "stripe_customers": list(customers),
        "subscriptions": subscriptions,
        "invoices": invoices,
    }
    return Section(
        "billing", "Your plan, subscriptions and invoices", (("billing.json", to_json(body)),)
    )


async def notifications_section(subject: Subject) -> Section:
    """What we sent or showed the user, how it went, and their choices."""
    session, user_id = subject.session, subject.user.id
    sent = [
        {
            "id": row.id,
            "channel": row.channel,
            "template": row.template,
            "category": row.category,
            "locale": row.locale,
            "status": row.status,
            "subject": row.subject,
            "attempts": row.attempts,
            "smtp_reply": row.smtp_reply,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
            "read_at": row.read_at,
        }
        for row in await notifications_repo.of_user(session, user_id)
    ]
    choices = [
        {"category": category, "channel": channel, "enabled": enabled}
        for (category, channel), enabled in sorted(
            (await notifications_repo.choices(session, user_id)).items()
        )
    ]
    body = {"notifications": sent, "choices": choices}
    return Section(
        "notifications",
        "The emails and in-app messages we sent you, and your choices about them",
        (("notifications.json", to_json(body)),),
    )


# A feature that holds data about users adds its loader here.
SECTIONS: tuple[SectionLoader, ...] = (
    profile_section,
    cvs_section,
    coach_section,
    billing_section,
    notifications_section,
    events_section,
    audit_section,
)


async def _stored_file(ctx: WorkerContext, storage_key: str) -> bytes | None:
    try:
        return await ctx.storage.get(storage_key)
    except FileNotStoredError:
        return None


async def handle_export_requested(ctx: WorkerContext, event: UserExportRequested) -> None:
    key_id = idempotency_key(event.event_id)
    async with ctx.db.transaction() as session:
        if await messages_repo.was_processed(session, CONSUMER, key_id):
            log.info("duplicate message skipped")
            return
        export = await privacy_repo.export_for_update(session, event.export_id)
        if export is None or export.status != QUEUED:
            log.info("nothing to export", export_found=export is not None)
            return
        user = await users_repo.by_id(session, export.user_id)
        if user is None or user.erasure_requested_at is not None:
            log.info("user being erased, export dropped")
            return
        user_id, created_at = user.id, datetime.now(UTC)
        # The key is created here for a user who never stored a file: the archive needs one.
        key = await ctx.vault.key_or_create(session, user_id)
        subject = Subject(ctx=ctx, session=session, user=user, key=key)
        sections = [await load(subject) for load in SECTIONS]
    archive = build_archive(sections, user_id=str(user_id), created_at=created_at)
    storage_key = f"exports/{user_id}/{event.export_id}.zip"
    await ctx.storage.put(
        storage_key, key.seal_file(archive, "exports", event.export_id), "application/zip"
    )

    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, key_id):
            return
        export = await privacy_repo.export_for_update(session, event.export_id)
        if export is None or export.status != QUEUED:
            return
        if not await users_repo.hold_unless_erasing(session, user_id):
            # The erasure may already have swept the folder: take back what was just written.
            await ctx.storage.delete(storage_key)
            log.info("user being erased, export dropped")
            return
        export.status = READY
        export.storage_key = storage_key
        export.size_bytes = len(archive)
        export.ready_at = datetime.now(UTC)
        export.expires_at = export.ready_at + timedelta(hours=ctx.settings.crypto.export_ttl_hours)
        path = f"/v1/me/exports/{export.id}/download"
        data = {"export_id": str(export.id), "status": READY, "download_path": path}
        await audit_repo.append(
            session,
            action="privacy.export_ready",
            outcome="ok",
            actor_id=None,
            subject_id=user_id,
            ip=None,
            user_agent=None,
            request_id=event.correlation_id,
            detail={"export_id": str(export.id), "size_bytes": len(archive)},
        )
        await stage_events(
            session,
            event.caused(
                UserExportReady, export_id=export.id, download_path=path, size_bytes=len(archive)
            ),
        )
        wake = await user_events.record(session, user_id, UserExportReady.TYPE, data)
    log.info("export ready", export_id=str(event.export_id), size_bytes=len(archive))
    await ctx.wake_user_streams(user_id, wake)
