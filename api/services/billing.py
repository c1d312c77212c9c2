"""Billing as the user sees it: plans, their subscription and usage, Checkout, the
Customer Portal, invoices; and the intake of Stripe's webhooks."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from api.services import entitlements
from api.services.entitlements import Usage
from api.services.errors import (
    AlreadySubscribedError,
    BillingRejectedError,
    BillingUnavailableError,
    InboxUnavailableError,
    InvalidSignatureError,
    InvalidWebhookEventError,
    NoBillingAccountError,
    PaymentPendingError,
    PriceNotOfferedError,
)
from infra.db.repositories import billing as billing_repo
from infra.db.repositories import users as users_repo
from infra.entitlements import Metric, Standing, limit_of
from infra.settings import Settings
from infra.stripe_events import event_customer
from infra.stripe_gateway import (
    BillingProviderUnavailable,
    BillingRequestRejected,
    CheckoutLink,
    InvalidWebhookSignature,
    InvoiceSummary,
    StripeGateway,
    verify_webhook,
)
from producers.outbox import stage_events
from schemas.billing import Currency, Interval, Plan, StripeEventReceived, stripe_event_uuid

log = structlog.get_logger(__name__)
T = TypeVar("T")
NO_CUSTOMER = "-"


@dataclass(frozen=True)
class Price:
    interval: Interval
    currency: Currency
    amount: int


@dataclass(frozen=True)
class PlanOffer:
    plan: Plan
    limits: dict[Metric, int]
    prices: list[Price]


def plans(settings: Settings) -> list[PlanOffer]:
    billing = settings.billing

    def limits(plan: Plan) -> dict[Metric, int]:
        return {metric: limit_of(billing, plan, metric) for metric in Metric}

    pro_prices = [
        Price(interval, currency, int(getattr(billing, f"pro_{name}_{currency.value}")))
        for interval, name in ((Interval.MONTH, "monthly"), (Interval.YEAR, "yearly"))
        for currency in Currency
    ]
    return [
        PlanOffer(Plan.FREE, limits(Plan.FREE), []),
        PlanOffer(Plan.PRO, limits(Plan.PRO), pro_prices),
    ]


async def subscription(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID
) -> tuple[Standing, list[Usage]]:
    return await entitlements.usage(session, settings.billing, user_id)


def _gateway(gateway: StripeGateway | None) -> StripeGateway:
    if gateway is None:
        raise BillingUnavailableError("Payments are not configured on this server.")
    return gateway


async def _call(request: Awaitable[T]) -> T:
    try:
        result = await request
    except BillingProviderUnavailable as exc:
        raise BillingUnavailableError("The payment provider cannot be reached; try again.") from exc
    except BillingRequestRejected as exc:
        log.warning("stripe refused a request", code=exc.code)
        raise BillingRejectedError(exc.message) from exc
    return result


async def checkout(
    session: AsyncSession,
    settings: Settings,
    gateway: StripeGateway | None,
    *,
    user_id: uuid.UUID,
    plan: Plan,
    interval: Interval,
    currency: Currency,
    request_id: str,
) -> CheckoutLink:
    """A Checkout Session for the plan; the subscription starts when Stripe says it is
    paid (at once by card, days later by boleto)."""
    stripe = _gateway(gateway)
    price = (
        settings.stripe.price_pro_monthly
        if interval is Interval.MONTH
        else settings.stripe.price_pro_yearly
    )
    if plan is not Plan.PRO:
        raise PriceNotOfferedError("Only the pro plan is bought; free needs no checkout.")
    if price is None:
        raise BillingUnavailableError(f"No price is configured for the {interval}ly pro plan.")
    now = datetime.now(UTC)
    if (
        await entitlements.current_standing(session, settings.billing, user_id, now)
    ).plan is Plan.PRO:
        raise AlreadySubscribedError("Change or cancel the plan in the customer portal.")
    if any(
        v.status == "incomplete" for v in await billing_repo.subscription_views(session, user_id)
    ):
        # A boleto takes days to settle: a second checkout meanwhile would bill twice.
        raise PaymentPendingError(
            "The plan starts once the pending payment (a boleto takes up to three business "
            "days) is confirmed; if it expires unpaid, a new checkout can be started."
        )
    user = await users_repo.by_id(session, user_id)
    customer = await billing_repo.customer_of_user(session, user_id)
    methods = (
        settings.stripe.payment_methods_brl
        if currency is Currency.BRL
        else settings.stripe.payment_methods_usd
    )
    link = await _call(
        stripe.create_checkout_session(
            user_id=user_id,
            customer_id=customer.id if customer else None,
            customer_email=None if customer or user is None else user.email,
            price_id=price,
            currency=currency.value,
            payment_method_types=methods,
            success_url=settings.stripe.success_url,
            cancel_url=settings.stripe.cancel_url,
            locale=(user.locale if user else None),
            # A retried request (same request id) gets the same session, not a second one.
            idempotency_key=str(uuid.uuid5(user_id, f"checkout:{request_id}")),
        )
    )
    log.info("checkout session created", plan=plan, interval=interval, currency=currency)
    return link


async def portal(
    session: AsyncSession, settings: Settings, gateway: StripeGateway | None, user_id: uuid.UUID
) -> str:
    stripe = _gateway(gateway)
    customer = await billing_repo.customer_of_user(session, user_id)
    if customer is None:
        raise NoBillingAccountError("Subscribe first: the portal manages an existing plan.")
    link = await _call(
        stripe.create_portal_session(
            customer_id=customer.id, return_url=settings.stripe.portal_return_url
        )
    )
    return link.url


async def invoices(
    session: AsyncSession, gateway: StripeGateway | None, user_id: uuid.UUID
) -> list[InvoiceSummary]:
    stripe = _gateway(gateway)
    customer = await billing_repo.customer_of_user(session, user_id)
    if customer is None:
        return []
    return await _call(stripe.list_invoices(customer.id))


async def receive_webhook(
    session: AsyncSession,
    settings: Settings,
    *,
    payload: bytes,
    signature: str | None,
    correlation_id: str,
) -> bool:
    """Verify, store in the inbox and queue a Stripe event, all in one transaction;
    False for an event id seen before (nothing is queued again)."""
    secrets = settings.stripe.webhook_secrets()
    if not secrets:
        raise BillingUnavailableError("No webhook secret is configured.")
    try:
        event = verify_webhook(
            payload,
            signature,
            secrets,
            tolerance_seconds=settings.stripe.webhook_tolerance_seconds,
        )
    except InvalidWebhookSignature as exc:
        raise InvalidSignatureError(f"Signature {exc.reason}.") from exc
    event_id, kind, created = event.get("id"), event.get("type"), event.get("created")
    if not (
        isinstance(event_id, str)
        and event_id
        and isinstance(kind, str)
        and kind
        and isinstance(created, int)
    ):
        raise InvalidWebhookEventError("An event needs an id, a type and a created time.")
    customer = event_customer(event)
    stripe_created = datetime.fromtimestamp(created, UTC)
    try:
        new = await billing_repo.record_event(
            session,
            event_id=event_id,
            type=kind,
            created=stripe_created,
            customer_id=customer,
            livemode=bool(event.get("livemode")),
            payload=event,
        )
        if new:
            await stage_events(
                session,
                StripeEventReceived(
                    event_id=stripe_event_uuid(event_id),
                    correlation_id=correlation_id,
                    stripe_event_id=event_id,
                    stripe_type=kind,
                    stripe_created=stripe_created,
                    customer_id=customer or NO_CUSTOMER,
                ),
            )
        await session.commit()
    except (SQLAlchemyError, OSError) as exc:
        # Stripe retries a 5xx for days: the event is not lost, only late.
        log.error("stripe event not stored", error=type(exc).__name__, stripe_type=kind)
        raise InboxUnavailableError() from exc
    log.info("stripe event received", stripe_type=kind, duplicate=not new)
    return new
