"""Billing's tables: the webhook inbox, customers, subscriptions, invoices, usage."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db.models import (
    BillingCustomer,
    Cv,
    Invoice,
    StripeEvent,
    Subscription,
    UsageRecord,
)
from infra.entitlements import SubscriptionView
from schemas.cv import CvStatus


async def record_event(
    session: AsyncSession,
    *,
    event_id: str,
    type: str,
    created: datetime,
    customer_id: str | None,
    livemode: bool,
    payload: dict[str, Any],
) -> bool:
    """Store a webhook's event; False when this event id was stored before."""
    result = await session.execute(
        insert(StripeEvent)
        .values(
            id=event_id,
            type=type,
            created=created,
            customer_id=customer_id,
            livemode=livemode,
            payload=payload,
        )
        .on_conflict_do_nothing()
        .returning(StripeEvent.id)
    )
    return result.scalar_one_or_none() is not None


async def event(session: AsyncSession, event_id: str) -> StripeEvent | None:
    return await session.get(StripeEvent, event_id)


async def unattributed_events(session: AsyncSession, customer_id: str) -> Sequence[StripeEvent]:
    """Events of a customer that named no user we knew, oldest first."""
    result = await session.scalars(
        select(StripeEvent)
        .where(StripeEvent.customer_id == customer_id, StripeEvent.outcome == "unattributed")
        .order_by(StripeEvent.created, StripeEvent.received_at)
    )
    return result.all()


async def lock_customer(session: AsyncSession, customer_id: str) -> None:
    """One transaction at a time per customer (a redelivery racing a replay)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"billing:{customer_id}"},
    )


async def lock_usage(session: AsyncSession, user_id: uuid.UUID, metric: str) -> None:
    """Serialise a user's uses of one limit: two requests at limit - 1 cannot both pass."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"usage:{metric}:{user_id}"},
    )


async def customer(session: AsyncSession, customer_id: str) -> BillingCustomer | None:
    return await session.get(BillingCustomer, customer_id)


async def customer_of_user(session: AsyncSession, user_id: uuid.UUID) -> BillingCustomer | None:
    return await session.scalar(
        select(BillingCustomer).where(
            BillingCustomer.user_id == user_id, BillingCustomer.deleted_at.is_(None)
        )
    )


async def link_customer(session: AsyncSession, customer_id: str, user_id: uuid.UUID) -> bool:
    """Remember whose customer this is; False when it was known already."""
    result = await session.execute(
        insert(BillingCustomer)
        .values(id=customer_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(BillingCustomer.id)
    )
    return result.scalar_one_or_none() is not None


async def customers(session: AsyncSession, user_id: uuid.UUID | None = None) -> Sequence[str]:
    query = select(BillingCustomer.id).where(
        BillingCustomer.deleted_at.is_(None), BillingCustomer.user_id.is_not(None)
    )
    if user_id is not None:
        query = query.where(BillingCustomer.user_id == user_id)
    return (await session.scalars(query.order_by(BillingCustomer.created_at))).all()


async def subscription(
    session: AsyncSession, subscription_id: str, *, lock: bool = False
) -> Subscription | None:
    query = select(Subscription).where(Subscription.id == subscription_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def subscriptions_of_user(
    session: AsyncSession, user_id: uuid.UUID
) -> Sequence[Subscription]:
    result = await session.scalars(
        select(Subscription)
        .where(Subscription.user_id == user_id)
        .order_by(Subscription.created_at)
    )
    return result.all()


def view_of(row: Subscription) -> SubscriptionView:
    return SubscriptionView(
        id=row.id,
        status=row.status,
        current_period_end=row.current_period_end,
        cancel_at_period_end=row.cancel_at_period_end,
        past_due_since=row.past_due_since,
    )


async def subscription_views(session: AsyncSession, user_id: uuid.UUID) -> list[SubscriptionView]:
    return [view_of(row) for row in await subscriptions_of_user(session, user_id)]


async def subscriptions_of_customer(
    session: AsyncSession, customer_id: str
) -> Sequence[Subscription]:
    result = await session.scalars(
        select(Subscription).where(Subscription.customer_id == customer_id)
    )
    return result.all()


async def grace_ended(
    session: AsyncSession, before: datetime, limit: int
) -> Sequence[Subscription]:
    """Past-due subscriptions whose grace period ended and whose downgrade was not told."""
    result = await session.scalars(
        select(Subscription)
        .where(
            Subscription.status == "past_due",
            Subscription.past_due_since < before,
            Subscription.grace_expired_at.is_(None),
            Subscription.user_id.is_not(None),
        )
        .order_by(Subscription.past_due_since)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return result.all()


async def invoice(session: AsyncSession, invoice_id: str, *, lock: bool = False) -> Invoice | None:
    query = select(Invoice).where(Invoice.id == invoice_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def invoices_of_user(session: AsyncSession, user_id: uuid.UUID) -> Sequence[Invoice]:
    result = await session.scalars(
        select(Invoice).where(Invoice.user_id == user_id).order_by(Invoice.stripe_created.desc())
    )
    return result.all()


async def record_usage(
    session: AsyncSession, user_id: uuid.UUID, metric: str, subject_id: uuid.UUID
) -> None:
    await session.execute(
        insert(UsageRecord)
        .values(user_id=user_id, metric=metric, subject_id=subject_id)
        .on_conflict_do_nothing()
    )


async def usage(
    session: AsyncSession, user_id: uuid.UUID, metric: str, start: datetime, end: datetime
) -> int:
    """Uses in [start, end). An analysis whose CV failed is given back: a file we could
    not read is no analysis."""
    query = (
        select(func.count())
        .select_from(UsageRecord)
        .outerjoin(Cv, and_(Cv.id == UsageRecord.subject_id, UsageRecord.metric == "analyses"))
        .where(
            UsageRecord.user_id == user_id,
            UsageRecord.metric == metric,
            UsageRecord.created_at >= start,
            UsageRecord.created_at < end,
            or_(Cv.status.is_(None), Cv.status != CvStatus.FAILED),
        )
    )
    return int(await session.scalar(query) or 0)


async def pseudonymise_user(
    session: AsyncSession, user_id: uuid.UUID, pseudonym: uuid.UUID
) -> None:
    """Invoices are tax records and stay, under a pseudonym; the rest loses the user.
    Stripe's payloads (names, e-mails, addresses) are emptied."""
    customer_ids = (
        await session.scalars(select(BillingCustomer.id).where(BillingCustomer.user_id == user_id))
    ).all()
    await session.execute(
        update(Invoice).where(Invoice.user_id == user_id).values(user_id=None, pseudonym=pseudonym)
    )
    await session.execute(
        update(Subscription).where(Subscription.user_id == user_id).values(user_id=None)
    )
    await session.execute(
        update(BillingCustomer)
        .where(BillingCustomer.user_id == user_id)
        .values(user_id=None, pseudonym=pseudonym)
    )
    if customer_ids:
        await session.execute(
            update(StripeEvent)
            .where(StripeEvent.customer_id.in_(customer_ids))
            .values(payload={}, outcome=func.coalesce(StripeEvent.outcome, "erased"))
        )
