"""Messages of billing. Stripe's payloads stay in the webhook inbox (they carry names,
e-mails and addresses): the bus carries the event's id and what routes it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from schemas.envelope import Event


class Plan(StrEnum):
    FREE = "free"
    PRO = "pro"


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class Currency(StrEnum):
    BRL = "brl"
    USD = "usd"


# Stripe's subscription statuses that entitle the user to the plan they pay for;
# ``past_due`` does so only during the grace period.
ENTITLING_STATUSES = frozenset({"active", "trialing"})
# Final in Stripe: such a subscription never becomes active again (a new one is created).
TERMINAL_STATUSES = frozenset({"canceled", "incomplete_expired"})


def stripe_event_uuid(stripe_event_id: str) -> uuid.UUID:
    """The envelope id of a Stripe event's message: the same on every delivery of it, so
    a duplicate that slipped past the inbox is still seen by the consumer's claim."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"stripe-event:{stripe_event_id}")


class StripeEventReceived(Event):
    """A verified Stripe webhook was stored in the inbox; apply it."""

    TYPE: ClassVar[str] = "billing.stripe-event"

    stripe_event_id: str = Field(description="Stripe's event id (evt_...); the inbox row")
    stripe_type: str = Field(description="e.g. customer.subscription.updated")
    stripe_created: datetime = Field(description="When Stripe created the event")
    customer_id: str = Field(
        description="The Stripe customer the event is about (the message key), or '-'"
    )


class SubscriptionChanged(Event):
    """What the user may use changed: upgrade, cancellation, renewal, grace, downgrade."""

    TYPE: ClassVar[str] = "billing.subscription.changed"

    plan: Plan
    previous_plan: Plan
    status: str = Field(description="Stripe's subscription status, or 'none'")
    previous_status: str
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    grace_ends_at: datetime | None = Field(
        default=None, description="Past due: when pro falls back to free"
    )
    reason: str = Field(description="The Stripe event type, or 'grace_expired'")


class PaymentFailed(Event):
    """A subscription payment failed: the user should update the payment method."""

    TYPE: ClassVar[str] = "billing.payment-failed"

    invoice_id: str
    amount_due: int = Field(description="In the currency's minor unit")
    currency: str
    hosted_invoice_url: str | None = None
    next_attempt_at: datetime | None = None
