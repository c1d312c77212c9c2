"""A subscription's life as Stripe reports it, and posting it to our webhook."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from infra.db.models import StripeEvent
from infra.db.session import Database
from tests.support import stripe_objects as so
from tests.support.fake_stripe import sign
from tests.support.system import wait_for

PRICE_MONTHLY = "price_pro_monthly_test"


@dataclass(frozen=True)
class Life:
    """The events of one subscription, in the order Stripe created them, and what the
    user's plan is after each (``expected[i]`` is after ``events[: i + 1]``)."""

    user_id: uuid.UUID
    customer_id: str
    subscription_id: str
    events: list[dict[str, Any]]
    expected: list[tuple[str, str]]


def subscription_life(
    user_id: uuid.UUID, *, start: int | None = None, boleto: bool = False
) -> Life:
    """checkout completed → subscription created → invoice paid → renewal payment failed
    → subscription deleted; a second apart or more, as Stripe stamps them."""
    t0 = start or int(time.time()) - 3600
    customer = f"cus_{secrets.token_hex(7)}"
    sub_id = f"sub_{secrets.token_hex(12)}"
    meta = {"user_id": str(user_id)}
    period_end = t0 + 30 * 86400

    def sub(status: str, at: int) -> dict[str, Any]:
        return so.subscription(
            sub_id,
            customer=customer,
            status=status,
            price_id=PRICE_MONTHLY,
            current_period_end=period_end,
            metadata=meta,
            created=t0,
        ) | ({"canceled_at": at, "ended_at": at} if status == "canceled" else {})

    checkout = so.checkout_session(
        client_reference_id=str(user_id),
        customer=customer,
        subscription=sub_id,
        payment_status="unpaid" if boleto else "paid",
        metadata=meta,
        created=t0,
    )
    first = so.invoice(
        customer=customer, subscription=sub_id, metadata=meta, created=t0, period_start=t0
    )
    renewal = so.invoice(
        customer=customer,
        subscription=sub_id,
        status="open",
        billing_reason="subscription_cycle",
        metadata=meta,
        created=t0 + 60,
        period_start=period_end,
    )
    events = [
        so.event("checkout.session.completed", checkout, t0),
        so.event("customer.subscription.created", sub("active", t0), t0),
        so.event("invoice.paid", first, t0 + 1),
        so.event("invoice.payment_failed", renewal, t0 + 60),
        so.event("customer.subscription.deleted", sub("canceled", t0 + 120), t0 + 120),
    ]
    expected = [
        ("pro", "active"),
        ("pro", "active"),
        ("pro", "active"),
        ("pro", "past_due"),
        ("free", "canceled"),
    ]
    return Life(user_id, customer, sub_id, events, expected)


def signed(
    event: dict[str, Any], secret: str, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    return body, {
        "Stripe-Signature": sign(body, secret, timestamp),
        "Content-Type": "application/json",
    }


async def post_event(
    client: httpx.AsyncClient, event: dict[str, Any], secret: str
) -> httpx.Response:
    body, headers = signed(event, secret)
    return await client.post("/webhooks/stripe", content=body, headers=headers)


async def wait_applied(db: Database, events: list[dict[str, Any]], timeout: float = 20) -> None:
    """Until the billing worker has applied every one of ``events``: not only the first,
    since a later one (a retried one, say) would overwrite what a test sets or reads."""
    ids = [e["id"] for e in events]

    async def applied() -> bool:
        async with db.sessions() as session:
            done = await session.scalar(
                select(func.count())
                .select_from(StripeEvent)
                .where(StripeEvent.id.in_(ids), StripeEvent.processed_at.is_not(None))
            )
        return done == len(ids)

    await wait_for(applied, timeout=timeout, what="the subscription's events to be applied")
