"""What a Stripe event says, and how it folds into the state we keep: pure functions.

Stripe delivers events late, twice and out of order. Each event is read into *facts*
stamped with the event's creation time; a fact changes the state only when it is newer
than the fact the state came from. Two facts of the same second (Stripe's clock has
one-second resolution, and a checkout emits several events at once) are ordered by how
far along the lifecycle their status is. A cancelled subscription never comes back:
Stripe creates a new one instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from infra.stripe_events import event_customer, event_object, reference
from schemas.billing import TERMINAL_STATUSES

HANDLED_TYPES = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
        "customer.deleted",
    }
)

_STATUS_RANK = {
    "incomplete": 1,
    "trialing": 2,
    "active": 2,
    "past_due": 3,
    "unpaid": 4,
    "paused": 4,
    "incomplete_expired": 5,
    "canceled": 5,
}
_INVOICE_RANK = {"draft": 0, "open": 1, "paid": 2, "uncollectible": 3, "void": 3}
# A subscription object fetched from Stripe outranks any event of the same second.
FETCHED = 100


def status_rank(status: str) -> int:
    return _STATUS_RANK.get(status, 0)


def timestamp(value: Any) -> datetime | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def _user_id(*candidates: Any) -> uuid.UUID | None:
    for candidate in candidates:
        if isinstance(candidate, str):
            try:
                return uuid.UUID(candidate)
            except ValueError:
                continue
    return None


def _metadata_user(obj: Any) -> Any:
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    return metadata.get("user_id") if isinstance(metadata, dict) else None


@dataclass(frozen=True)
class SubscriptionFact:
    """What one event (or a fetch) says about a subscription at time ``at``."""

    subscription_id: str
    customer_id: str
    at: datetime
    status: str
    precedence: int
    user_id: uuid.UUID | None = None
    price_id: str | None = None
    interval: str | None = None
    currency: str | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool | None = None


@dataclass(frozen=True)
class InvoiceFact:
    invoice_id: str
    customer_id: str
    at: datetime
    status: str
    subscription_id: str | None
    user_id: uuid.UUID | None
    number: str | None
    amount_due: int
    amount_paid: int
    currency: str
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    created: datetime
    billing_reason: str | None
    next_payment_attempt: datetime | None

    @property
    def precedence(self) -> int:
        return _INVOICE_RANK.get(self.status, 0)


@dataclass(frozen=True)
class EventFacts:
    """Everything an event tells us, in our terms."""

    type: str
    handled: bool
    customer_id: str | None
    user_id: uuid.UUID | None
    subscriptions: tuple[SubscriptionFact, ...] = ()
    invoice: InvoiceFact | None = None
    customer_deleted: bool = False
    payment_failed: bool = False


def subscription_fact(
    obj: dict[str, Any], at: datetime, *, precedence_bonus: int = 0
) -> SubscriptionFact | None:
    """A subscription object, from an event or fetched from Stripe."""
    sub_id, customer = reference(obj.get("id")), reference(obj.get("customer"))
    status = obj.get("status")
    if sub_id is None or customer is None or not isinstance(status, str):
        return None
    items = (obj.get("items") or {}).get("data") or []
    item = items[0] if items and isinstance(items[0], dict) else {}
    price = item.get("price") or obj.get("plan") or {}
    recurring = price.get("recurring") or {}
    # Since 2025 the period lives on the items; older API versions keep it on the object.
    period_end = timestamp(item.get("current_period_end")) or timestamp(
        obj.get("current_period_end")
    )
    return SubscriptionFact(
        subscription_id=sub_id,
        customer_id=customer,
        at=at,
        status=status,
        precedence=status_rank(status) + precedence_bonus,
        user_id=_user_id(_metadata_user(obj)),
        price_id=reference(price.get("id")),
        interval=recurring.get("interval") or price.get("interval"),
        currency=obj.get("currency") or price.get("currency"),
        current_period_end=period_end,
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
    )


def _invoice_subscription(obj: dict[str, Any]) -> tuple[str | None, Any]:
    """The invoice's subscription and its metadata (the 2025 ``parent`` shape first)."""
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    legacy = obj.get("subscription_details") or {}
    subscription = reference(details.get("subscription")) or reference(obj.get("subscription"))
    metadata = details.get("metadata") or legacy.get("metadata") or {}
    return subscription, metadata.get("user_id") if isinstance(metadata, dict) else None


def _invoice_fact(obj: dict[str, Any], at: datetime, status: str) -> InvoiceFact | None:
    invoice_id, customer = reference(obj.get("id")), reference(obj.get("customer"))
    if invoice_id is None or customer is None:
        return None
    subscription, user = _invoice_subscription(obj)
    return InvoiceFact(
        invoice_id=invoice_id,
        customer_id=customer,
        at=at,
        status=status,
        subscription_id=subscription,
        user_id=_user_id(user, _metadata_user(obj)),
        number=obj.get("number"),
        amount_due=int(obj.get("amount_due") or 0),
        amount_paid=int(obj.get("amount_paid") or 0),
        currency=str(obj.get("currency") or ""),
        hosted_invoice_url=obj.get("hosted_invoice_url"),
        invoice_pdf=obj.get("invoice_pdf"),
        created=timestamp(obj.get("created")) or at,
        billing_reason=obj.get("billing_reason"),
        next_payment_attempt=timestamp(obj.get("next_payment_attempt")),
    )


def _invoice_period_end(obj: dict[str, Any]) -> datetime | None:
    lines = (obj.get("lines") or {}).get("data") or []
    ends = [timestamp((line.get("period") or {}).get("end")) for line in lines]
    return max((end for end in ends if end), default=None)


def read_event(event: dict[str, Any]) -> EventFacts:
    """The facts of a verified Stripe event (an unknown type yields none)."""
    kind = str(event.get("type") or "")
    at = timestamp(event.get("created")) or datetime.now(UTC)
    obj = event_object(event)
    customer = event_customer(event)
    if kind not in HANDLED_TYPES or not isinstance(obj, dict):
        return EventFacts(kind, False, customer, None)

    if kind.startswith("customer.subscription."):
        fact = subscription_fact(obj, at)
        return EventFacts(
            kind, True, customer, fact.user_id if fact else None, (fact,) if fact else ()
        )

    if kind.startswith("checkout.session."):
        user = _user_id(obj.get("client_reference_id"), _metadata_user(obj))
        subscription = reference(obj.get("subscription"))
        if obj.get("mode") != "subscription" or subscription is None or customer is None:
            return EventFacts(kind, True, customer, user)
        paid = kind.endswith("async_payment_succeeded") or (
            kind.endswith("completed")
            and obj.get("payment_status") in ("paid", "no_payment_required")
        )
        # A boleto checkout completes unpaid: nothing is owed to the user until it settles,
        # and a failed settlement leaves the subscription where it was.
        status = "active" if paid else "incomplete"
        fact = SubscriptionFact(subscription, customer, at, status, status_rank(status), user)
        return EventFacts(kind, True, customer, user, (fact,))

    if kind == "customer.deleted":
        return EventFacts(
            kind, True, customer, _user_id(_metadata_user(obj)), customer_deleted=True
        )

    # invoice.paid / invoice.payment_failed
    failed = kind == "invoice.payment_failed"
    invoice = _invoice_fact(obj, at, "open" if failed else "paid")
    if invoice is None:
        return EventFacts(kind, True, customer, None)
    facts: tuple[SubscriptionFact, ...] = ()
    if invoice.subscription_id:
        # The first invoice failing leaves the subscription incomplete, a renewal's makes
        # it past due; a paid one makes it active for the period it paid.
        if failed:
            status = "incomplete" if invoice.billing_reason == "subscription_create" else "past_due"
        else:
            status = "active"
        facts = (
            SubscriptionFact(
                invoice.subscription_id,
                invoice.customer_id,
                at,
                status,
                status_rank(status),
                invoice.user_id,
                current_period_end=None if failed else _invoice_period_end(obj),
                currency=invoice.currency or None,
            ),
        )
    return EventFacts(kind, True, customer, invoice.user_id, facts, invoice, payment_failed=failed)


@dataclass(frozen=True)
class SubscriptionState:
    """The part of our subscription row that facts decide."""

    status: str
    state_at: datetime
    state_rank: int
    price_id: str | None = None
    interval: str | None = None
    currency: str | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    past_due_since: datetime | None = None


def _details(fact: SubscriptionFact) -> dict[str, Any]:
    return {
        name: value
        for name in ("price_id", "interval", "currency", "current_period_end")
        if (value := getattr(fact, name)) is not None
    }


def merge(state: SubscriptionState | None, fact: SubscriptionFact) -> SubscriptionState:
    """The state after ``fact``: a newer fact decides; an older one only fills in details
    the state lacks (a price, a period end) and can make a past-due start earlier."""
    if state is None:
        return SubscriptionState(
            status=fact.status,
            state_at=fact.at,
            state_rank=fact.precedence,
            cancel_at_period_end=bool(fact.cancel_at_period_end),
            past_due_since=fact.at if fact.status == "past_due" else None,
            **_details(fact),
        )
    newer = (fact.at, fact.precedence) > (state.state_at, state.state_rank)
    if newer and state.status not in TERMINAL_STATUSES:
        past_due_since = None
        if fact.status == "past_due":
            past_due_since = (
                state.past_due_since
                if state.status == "past_due" and state.past_due_since
                else fact.at
            )
        return replace(
            state,
            status=fact.status,
            state_at=fact.at,
            state_rank=fact.precedence,
            cancel_at_period_end=(
                state.cancel_at_period_end
                if fact.cancel_at_period_end is None
                else fact.cancel_at_period_end
            ),
            past_due_since=past_due_since,
            **_details(fact),
        )
    missing = {
        name: value for name, value in _details(fact).items() if getattr(state, name) is None
    }
    if (
        fact.status == "past_due"
        and state.status == "past_due"
        and state.past_due_since is not None
        and fact.at < state.past_due_since
    ):
        missing["past_due_since"] = fact.at
    return replace(state, **missing) if missing else state


def invoice_is_newer(fact: InvoiceFact, state_at: datetime, state_rank: int) -> bool:
    return (fact.at, fact.precedence) > (state_at, state_rank)
