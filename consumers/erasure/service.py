"""Erasure use case: every holder of the user's data deletes its part and confirms it;
then the user's data key is destroyed and the account row goes.

Each part confirms in ``erasure_parts`` once its deletion is done, so a crash midway is
finished by the redelivered message: confirmed parts are skipped, the others (all of
them idempotent) run again. The account was marked for erasure before the request was
published, so workers saving results for the user meanwhile drop them instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from consumers.context import WorkerContext
from infra.db.repositories import audit as audit_repo
from infra.db.repositories import billing as billing_repo
from infra.db.repositories import coach as coach_repo
from infra.db.repositories import notifications as notifications_repo
from infra.db.repositories import privacy as privacy_repo
from schemas.privacy import UserErasureRequested

CONSUMER = "erasure"


log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Target:
    erasure_id: uuid.UUID
    user_id: uuid.UUID
    pseudonym: uuid.UUID


@dataclass(frozen=True)
class Part:
    name: str
    run: Callable[[WorkerContext, Target], Awaitable[None]]


def _folders(user_id: uuid.UUID) -> tuple[str, ...]:
    return (f"cvs/{user_id}/", f"exports/{user_id}/")


async def erase_files(ctx: WorkerContext, target: Target) -> None:
    """CV files and export archives in object storage."""
    async with ctx.db.sessions() as session:
        keys = set(await privacy_repo.cv_storage_keys(session, target.user_id))
    for folder in _folders(target.user_id):
        keys.update(await ctx.storage.keys(folder))
    for key in sorted(keys):
        await ctx.storage.delete(key)
    await _confirm(ctx, target, "files")


async def erase_cvs(ctx: WorkerContext, target: Target) -> None:
    """CV rows with their parsed facts and analyses, and export records."""
    async with ctx.db.transaction() as session:
        await privacy_repo.delete_cvs(session, target.user_id)
        await privacy_repo.delete_exports(session, target.user_id)
        await privacy_repo.confirm_part(session, target.erasure_id, "cvs")


async def erase_coach(ctx: WorkerContext, target: Target) -> None:
    """Coach sessions, their messages and the ratings of replies."""
    async with ctx.db.transaction() as session:
        await coach_repo.delete_user_coach_data(session, target.user_id)
        await privacy_repo.confirm_part(session, target.erasure_id, "coach")


async def erase_events(ctx: WorkerContext, target: Target) -> None:
    """The SSE event log and messages about the user still waiting in the outbox."""
    async with ctx.db.transaction() as session:
        await privacy_repo.delete_user_events(session, target.user_id)
        await privacy_repo.delete_outbox_of(session, target.user_id)
        await privacy_repo.confirm_part(session, target.erasure_id, "events")


async def erase_redis(ctx: WorkerContext, target: Target) -> None:
    """Every Redis key that names the user (caches, counters, session context)."""
    found = [key async for key in ctx.redis.scan_iter(match=f"*{target.user_id}*", count=500)]
    if found:
        await ctx.redis.delete(*found)
    await _confirm(ctx, target, "redis")


async def pseudonymise_audit(ctx: WorkerContext, target: Target) -> None:
    """The audit trail stays, with a keyed pseudonym for the user and no IP or device."""
    async with ctx.db.transaction() as session:
        await privacy_repo.pseudonymise_audit(session, target.user_id, target.pseudonym)
        await privacy_repo.confirm_part(session, target.erasure_id, "audit")


async def erase_billing(ctx: WorkerContext, target: Target) -> None:
    """The Stripe customer is deleted at Stripe (it holds the person's name, e-mail and
    card); our invoices stay as tax records under the pseudonym, and the webhook payloads
    are emptied. Stripe down: retried. No Stripe key at all (webhooks only): the customer
    ids are left in the audit trail for an operator, and the erasure goes on."""
    async with ctx.db.sessions() as session:
        customer_ids = await billing_repo.customers(session, target.user_id)
    if ctx.stripe is not None:
        for customer_id in customer_ids:
            await ctx.stripe.delete_customer(customer_id)
    async with ctx.db.transaction() as session:
        if customer_ids and ctx.stripe is None:
            log.error("stripe customer not deleted: no Stripe key", count=len(customer_ids))
            await audit_repo.append(
                session,
                action="billing.customer_not_deleted",
                outcome="needs_operator",
                actor_id=None,
                subject_id=target.pseudonym,
                ip=None,
                user_agent=None,
                request_id=None,
                detail={"stripe_customers": list(customer_ids)},
            )
        await billing_repo.pseudonymise_user(session, target.user_id, target.pseudonym)
        await privacy_repo.confirm_part(session, target.erasure_id, "billing")


async def erase_notifications(ctx: WorkerContext, target: Target) -> None:
    """Every notification of the user (mails' subjects, in-app list) and their choices."""
    async with ctx.db.transaction() as session:
        await notifications_repo.delete_of_user(session, target.user_id)
        await privacy_repo.confirm_part(session, target.erasure_id, "notifications")


# A feature that holds data about users (coach context, billing records...) adds its part.
PARTS: tuple[Part, ...] = (
    Part("files", erase_files),
    Part("cvs", erase_cvs),
    Part("coach", erase_coach),
    Part("events", erase_events),
    Part("redis", erase_redis),
    Part("billing", erase_billing),
    Part("notifications", erase_notifications),
    Part("audit", pseudonymise_audit),
)


async def _confirm(ctx: WorkerContext, target: Target, part: str) -> None:
    async with ctx.db.transaction() as session:
        await privacy_repo.confirm_part(session, target.erasure_id, part)


async def handle_erasure_requested(
    ctx: WorkerContext, event: UserErasureRequested, parts: Sequence[Part] = PARTS
) -> bool:
    """Run the parts not confirmed yet, then finish; True once the erasure is complete.
    ``parts`` is narrowed only by tests that stop an erasure midway."""
    async with ctx.db.sessions() as session:
        erasure = await privacy_repo.erasure(session, event.erasure_id)
        if erasure is None or erasure.completed_at is not None or erasure.user_id is None:
            log.info("erasure already complete", erasure_id=str(event.erasure_id))
            return True
        target = Target(erasure.id, erasure.user_id, erasure.subject_pseudonym)
        done = await privacy_repo.parts_done(session, erasure.id)
    for part in parts:
        if part.name not in done:
            await part.run(ctx, target)
            done.add(part.name)
            log.info("erasure part done", erasure_id=str(target.erasure_id), part=part.name)
    if not {part.name for part in PARTS} <= done:
        return False
    await _finish(ctx, target)
    return True


async def _finish(ctx: WorkerContext, target: Target) -> None:
    """Shred: the data key goes first, so nothing sealed for the user (backups, a copy on
    a topic) opens again; then the account itself. The request stays, by pseudonym only."""
    async with ctx.db.transaction() as session:
        erasure = await privacy_repo.erasure(session, target.erasure_id, lock=True)
        if erasure is None or erasure.completed_at is not None:
            return
        await ctx.vault.destroy(session, target.user_id)
        # Whatever a racing writer added since the parts ran goes too.
        await coach_repo.delete_user_coach_data(session, target.user_id)
        await privacy_repo.delete_cvs(session, target.user_id)
        await privacy_repo.delete_user_events(session, target.user_id)
        await privacy_repo.delete_outbox_of(session, target.user_id)
        await privacy_repo.pseudonymise_audit(session, target.user_id, target.pseudonym)
        await privacy_repo.delete_user(session, target.user_id)
        privacy_repo.complete(erasure, datetime.now(UTC))
        await audit_repo.append(
            session,
            action="privacy.erasure_completed",
            outcome="ok",
            actor_id=None,
            subject_id=target.pseudonym,
            ip=None,
            user_agent=None,
            request_id=None,
            detail={"erasure_id": str(target.erasure_id)},
        )
    log.info("erasure complete", erasure_id=str(target.erasure_id))
