"""Billing use case: apply a Stripe event from the inbox to our copy of the customer's
subscriptions and invoices, and say what changed for the user.

Each event is applied once (the consumer's claim and the inbox's ``processed_at`` in
the same transaction as the effect), in any order (consumers/billing/lifecycle.py). With
a Stripe key, the subscription is re-read from Stripe before it is applied, so what we
keep is Stripe's present word rather than the event's snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consumers import user_events
from consumers.billing.lifecycle import (
    FETCHED,
    EventFacts,
    InvoiceFact,
    SubscriptionFact,
    SubscriptionState,
    invoice_is_newer,
    merge,
    read_event,
    subscription_fact,
)
from consumers.context import WorkerContext
from consumers.runtime import idempotency_key
from infra.db.models import Invoice, StripeEvent, Subscription
from infra.db.repositories import audit as audit_repo
from infra.db.repositories import billing as billing_repo
from infra.db.repositories import messages as messages_repo
from infra.db.repositories import users as users_repo
from infra.entitlements import Standing, standing
from infra.stripe_gateway import BillingProviderError, StripeGateway, is_missing
from producers.outbox import stage_events
from schemas.billing import PaymentFailed, StripeEventReceived, SubscriptionChanged

CONSUMER = "billing"
log = structlog.get_logger(__name__)


def _state_of(row: Subscription) -> SubscriptionState:
    return SubscriptionState(
        status=row.status,
        state_at=row.state_at,
        state_rank=row.state_rank,
        price_id=row.price_id,
        interval=row.interval,
        currency=row.currency,
        current_period_end=row.current_period_end,
        cancel_at_period_end=row.cancel_at_period_end,
        past_due_since=row.past_due_since,
    )


def _write_state(row: Subscription, state: SubscriptionState) -> None:
    """The row takes the state's fields; when a past-due spell starts is each writer's own
    rule (an applied event keeps the merged one, a repair keeps the spell it finds)."""
    row.status, row.state_at, row.state_rank = state.status, state.state_at, state.state_rank
    row.price_id, row.interval, row.currency = state.price_id, state.interval, state.currency
    row.current_period_end = state.current_period_end
    row.cancel_at_period_end = state.cancel_at_period_end


async def user_standing(
    session: AsyncSession, user_id: uuid.UUID, now: datetime, grace: timedelta
) -> Standing:
    return standing(await billing_repo.subscription_views(session, user_id), now, grace)


async def _fetched(gateway: StripeGateway | None, facts: EventFacts) -> EventFacts:
    """The event's subscription facts replaced by what Stripe says now (same timestamp,
    outranking any event of that second)."""
    if gateway is None or not facts.subscriptions:
        return facts
    fresh: list[SubscriptionFact] = []
    for fact in facts.subscriptions:
        try:
            obj = await gateway.retrieve_subscription(fact.subscription_id)
        except BillingProviderError as exc:
            if not is_missing(exc):
                raise
            fresh.append(fact)
            continue
        fetched = subscription_fact(obj, fact.at, precedence_bonus=FETCHED)
        fresh.append(replace(fetched, user_id=fetched.user_id or fact.user_id) if fetched else fact)
    return replace(facts, subscriptions=tuple(fresh))


async def handle_stripe_event(ctx: WorkerContext, message: StripeEventReceived) -> None:
    async with ctx.db.reads() as session:
        row = await billing_repo.event(session, message.stripe_event_id)
    if row is None or not row.payload:
        log.info("stripe event not in the inbox (erased)", stripe_event_id=message.stripe_event_id)
        return
    facts = await _fetched(ctx.stripe, read_event(row.payload))
    async with ctx.db.transaction() as session:
        if not await messages_repo.claim(session, CONSUMER, idempotency_key(message.event_id)):
            log.info("stripe event already applied", stripe_event_id=row.id)
            return
        if facts.customer_id:
            await billing_repo.lock_customer(session, facts.customer_id)
        wakes = await _apply(ctx, session, row.id, facts, message)
    for user_id, wake in wakes:
        await ctx.wake_user_streams(user_id, wake)


async def _apply(
    ctx: WorkerContext,
    session: AsyncSession,
    event_id: str,
    facts: EventFacts,
    message: StripeEventReceived,
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    row = await session.get(StripeEvent, event_id, with_for_update=True)
    assert row is not None
    if not facts.handled:
        _processed(row, "ignored")
        return []
    user_id = await _user_of(session, facts)
    if user_id is None:
        # Kept: when a later event names the customer's user, this one is applied then.
        _processed(row, "unattributed")
        log.info("stripe event names no known user", stripe_event_id=row.id, type=facts.type)
        return []
    learnt = facts.customer_id is not None and await billing_repo.link_customer(
        session, facts.customer_id, user_id
    )
    wakes = await _apply_for_user(ctx, session, row, facts, user_id, message)
    if learnt and facts.customer_id:
        # Events that arrived before we knew whose customer this is.
        for earlier in await billing_repo.unattributed_events(session, facts.customer_id):
            earlier_facts = await _fetched(ctx.stripe, read_event(earlier.payload))
            wakes += await _apply_for_user(ctx, session, earlier, earlier_facts, user_id, message)
    return wakes


async def _user_of(session: AsyncSession, facts: EventFacts) -> uuid.UUID | None:
    """The user the event names, if they exist and are not being erased; else the user
    whose customer it is."""
    if facts.user_id is not None and not await users_repo.erasure_requested(session, facts.user_id):
        return facts.user_id
    if facts.customer_id:
        known = await billing_repo.customer(session, facts.customer_id)
        if known is not None and known.user_id is not None:
            return known.user_id
    return None


def _processed(row: StripeEvent, outcome: str) -> None:
    row.processed_at, row.outcome = datetime.now(UTC), outcome


async def _apply_for_user(
    ctx: WorkerContext,
    session: AsyncSession,
    row: StripeEvent,
    facts: EventFacts,
    user_id: uuid.UUID,
    message: StripeEventReceived,
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    now = datetime.now(UTC)
    grace = timedelta(days=ctx.settings.billing.grace_days)
    before = await user_standing(session, user_id, now, grace)

    subscription_facts: Sequence[SubscriptionFact] = facts.subscriptions
    known = await billing_repo.customer(session, facts.customer_id) if facts.customer_id else None
    if facts.customer_deleted and known is not None:
        known.deleted_at = known.deleted_at or row.created
        # Stripe cancels a deleted customer's subscriptions.
        subscription_facts = [
            SubscriptionFact(sub.id, sub.customer_id, row.created, "canceled", 5, user_id)
            for sub in await billing_repo.subscriptions_of_customer(session, known.id)
        ]
    elif known is not None and known.deleted_at is not None:
        # A deleted customer has no live subscription, whatever a late event says.
        subscription_facts = [
            replace(fact, status="canceled", precedence=5) for fact in subscription_facts
        ]
    for fact in subscription_facts:
        await _save_subscription(session, fact, user_id)
    if facts.invoice is not None:
        await _save_invoice(session, facts.invoice, user_id)

    after = await user_standing(session, user_id, now, grace)
    _processed(row, "applied")
    cause = message.model_copy(update={"user_id": user_id})
    events: list[SubscriptionChanged | PaymentFailed] = []
    if _changed(before, after):
        events.append(
            changed_event(
                before,
                after,
                facts.type,
                correlation_id=message.correlation_id,
                causation_id=message.event_id,
                user_id=user_id,
            )
        )
    if facts.payment_failed and facts.invoice is not None:
        invoice = facts.invoice
        events.append(
            cause.caused(
                PaymentFailed,
                invoice_id=invoice.invoice_id,
                amount_due=invoice.amount_due,
                currency=invoice.currency,
                hosted_invoice_url=invoice.hosted_invoice_url,
                next_attempt_at=invoice.next_payment_attempt,
            )
        )
    if events:
        await stage_events(session, *events)
    await audit_repo.append(
        session,
        action=f"billing.{facts.type}",
        outcome="applied",
        actor_id=None,
        subject_id=user_id,
        ip=None,
        user_agent=None,
        request_id=message.correlation_id,
        detail={"stripe_event_id": row.id, "plan": after.plan, "status": after.status},
    )
    wakes = []
    for event in events:
        if isinstance(event, SubscriptionChanged):
            data = {
                "plan": event.plan,
                "status": event.status,
                "current_period_end": _iso(event.current_period_end),
                "cancel_at_period_end": event.cancel_at_period_end,
                "grace_ends_at": _iso(event.grace_ends_at),
            }
            wakes.append((user_id, await user_events.record(session, user_id, event.TYPE, data)))
    log.info(
        "stripe event applied",
        stripe_event_id=row.id,
        type=facts.type,
        user_id=str(user_id),
        plan=after.plan,
        status=after.status,
    )
    return wakes


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _changed(before: Standing, after: Standing) -> bool:
    def key(s: Standing) -> tuple[Any, ...]:
        sub = s.subscription
        return (
            s.plan,
            s.status,
            sub.current_period_end if sub else None,
            sub.cancel_at_period_end if sub else None,
        )

    return key(before) != key(after)


def changed_event(
    before: Standing,
    after: Standing,
    reason: str,
    *,
    correlation_id: str,
    user_id: uuid.UUID,
    causation_id: uuid.UUID | None = None,
) -> SubscriptionChanged:
    sub = after.subscription
    return SubscriptionChanged(
        correlation_id=correlation_id,
        causation_id=causation_id,
        user_id=user_id,
        plan=after.plan,
        previous_plan=before.plan,
        status=after.status,
        previous_status=before.status,
        current_period_end=sub.current_period_end if sub else None,
        cancel_at_period_end=sub.cancel_at_period_end if sub else False,
        grace_ends_at=after.grace_ends_at,
        reason=reason,
    )


async def _save_subscription(
    session: AsyncSession, fact: SubscriptionFact, user_id: uuid.UUID
) -> None:
    row = await billing_repo.subscription(session, fact.subscription_id, lock=True)
    state = merge(_state_of(row) if row is not None else None, fact)
    if row is None:
        row = Subscription(id=fact.subscription_id, customer_id=fact.customer_id, user_id=user_id)
        session.add(row)
    elif row.user_id is None:
        row.user_id = user_id
    _write_state(row, state)
    if state.past_due_since != row.past_due_since:
        # A new past-due spell gets its own grace period (and its own downgrade notice).
        row.past_due_since, row.grace_expired_at = state.past_due_since, None
    await session.flush()


async def _save_invoice(session: AsyncSession, fact: InvoiceFact, user_id: uuid.UUID) -> None:
    row = await billing_repo.invoice(session, fact.invoice_id, lock=True)
    if row is not None and not invoice_is_newer(fact, row.state_at, row.state_rank):
        return
    if row is None:
        row = Invoice(id=fact.invoice_id, customer_id=fact.customer_id, user_id=user_id)
        session.add(row)
    row.subscription_id = fact.subscription_id
    row.number, row.status = fact.number, fact.status
    row.amount_due, row.amount_paid, row.currency = fact.amount_due, fact.amount_paid, fact.currency
    row.hosted_invoice_url, row.invoice_pdf = fact.hosted_invoice_url, fact.invoice_pdf
    row.stripe_created, row.state_at, row.state_rank = fact.created, fact.at, fact.precedence
    await session.flush()


_COMPARED = ("status", "price_id", "interval", "current_period_end", "cancel_at_period_end")


async def reconcile(
    ctx: WorkerContext, gateway: StripeGateway, user_id: uuid.UUID | None = None
) -> list[str]:
    """Make our subscriptions equal to Stripe's (every customer, or one user's); what
    was changed, one line each. Running it again changes nothing."""
    async with ctx.db.sessions() as session:
        customer_ids = await billing_repo.customers(session, user_id)
    changes: list[str] = []
    for customer_id in customer_ids:
        objects = await gateway.list_subscriptions(customer_id)
        now = datetime.now(UTC)
        async with ctx.db.transaction() as session:
            await billing_repo.lock_customer(session, customer_id)
            known = await billing_repo.customer(session, customer_id)
            if known is None or known.user_id is None:
                continue
            owner = known.user_id
            grace = timedelta(days=ctx.settings.billing.grace_days)
            before = await user_standing(session, owner, now, grace)
            theirs = {
                fact.subscription_id: fact
                for obj in objects
                if (fact := subscription_fact(obj, now, precedence_bonus=FETCHED))
            }
            ours = {
                row.id: row
                for row in await billing_repo.subscriptions_of_customer(session, customer_id)
            }
            for sub_id in ours.keys() - theirs.keys():
                # Stripe no longer has it at all (deleted with a test clock, or by hand).
                theirs[sub_id] = SubscriptionFact(sub_id, customer_id, now, "canceled", FETCHED + 5)
            for sub_id, fact in sorted(theirs.items()):
                row = ours.get(sub_id)
                wanted = merge(None, fact)
                differs = [
                    f"{name} {getattr(row, name) if row else None} → {getattr(wanted, name)}"
                    for name in _COMPARED
                    if row is None or getattr(row, name) != getattr(wanted, name)
                ]
                if not differs:
                    continue
                await _force_subscription(session, fact, owner)
                changes.append(f"{customer_id} {sub_id}: " + ", ".join(differs))
            after = await user_standing(session, owner, now, grace)
            if _changed(before, after):
                # No message caused a repair: it starts a correlation of its own.
                event = changed_event(
                    before,
                    after,
                    "reconcile",
                    correlation_id=f"reconcile-{uuid.uuid4().hex[:12]}",
                    user_id=owner,
                )
                await stage_events(session, event)
            if changes:
                await audit_repo.append(
                    session,
                    action="billing.reconcile",
                    outcome="repaired",
                    actor_id=None,
                    subject_id=owner,
                    ip=None,
                    user_agent=None,
                    request_id=None,
                    detail={"customer_id": customer_id, "plan": after.plan, "status": after.status},
                )
    return changes


async def _force_subscription(
    session: AsyncSession, fact: SubscriptionFact, user_id: uuid.UUID
) -> None:
    """Stripe's present state replaces ours whatever it was (reconcile's repair)."""
    row = await billing_repo.subscription(session, fact.subscription_id, lock=True)
    if row is None:
        row = Subscription(id=fact.subscription_id, customer_id=fact.customer_id, user_id=user_id)
        session.add(row)
    state = merge(None, fact)
    _write_state(row, state)
    if state.status != "past_due":
        row.past_due_since = None
    elif row.past_due_since is None:
        row.past_due_since = fact.at
    await session.flush()
