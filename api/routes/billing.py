"""Plans, the user's subscription and usage, Checkout, the portal, invoices; and the
endpoint Stripe posts its webhooks to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import RequestIdDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import PUBLIC, USER, CurrentUserId, requires
from api.schemas import (
    CheckoutIn,
    InvoiceOut,
    PlanOut,
    PriceOut,
    RedirectOut,
    SubscriptionOut,
    UsageOut,
    WebhookAck,
)
from api.services import billing

router = APIRouter(prefix="/v1/billing", tags=["billing"])
webhooks = APIRouter(prefix="/webhooks", tags=["billing"])
_AUTH: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM}
_STRIPE: dict[int | str, dict[str, Any]] = {502: PROBLEM, 503: PROBLEM}


@router.get("/plans", dependencies=[requires(PUBLIC)], response_model=list[PlanOut])
async def list_plans(resources: ResourcesDep) -> list[PlanOut]:
    """What each plan allows and costs (amounts in minor units)."""
    return [
        PlanOut(
            plan=offer.plan,
            limits={metric.value: limit for metric, limit in offer.limits.items()},
            prices=[
                PriceOut(interval=p.interval, currency=p.currency, amount=p.amount)
                for p in offer.prices
            ],
        )
        for offer in billing.plans(resources.settings)
    ]


@router.get(
    "/subscription", dependencies=[requires(USER)], response_model=SubscriptionOut, responses=_AUTH
)
async def get_subscription(
    user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> SubscriptionOut:
    """The plan in force now, Stripe's status of the subscription behind it, and the use
    of each limit this period."""
    standing, usage = await billing.subscription(session, resources.settings, user_id)
    sub = standing.subscription
    return SubscriptionOut(
        plan=standing.plan,
        status=standing.status,
        current_period_end=sub.current_period_end if sub else None,
        cancel_at_period_end=sub.cancel_at_period_end if sub else False,
        grace_ends_at=standing.grace_ends_at,
        usage={
            u.metric.value: UsageOut(
                used=u.used, limit=u.limit, period=u.period, resets_at=u.resets_at
            )
            for u in usage
        },
    )


@router.post(
    "/checkout",
    dependencies=[requires(USER)],
    response_model=RedirectOut,
    responses={**_AUTH, **_STRIPE, 409: PROBLEM, 422: PROBLEM},
)
async def create_checkout(
    body: CheckoutIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
) -> RedirectOut:
    """A Stripe Checkout page for the plan (card; boleto for BRL). 409 ``already_subscribed``
    on a paid plan, ``payment_pending`` while a boleto has not settled; 503
    ``billing_unavailable`` when payments are not configured."""
    link = await billing.checkout(
        session,
        resources.settings,
        resources.stripe,
        user_id=user_id,
        plan=body.plan,
        interval=body.interval,
        currency=body.currency,
        request_id=request_id,
    )
    return RedirectOut(url=link.url)


@router.post(
    "/portal",
    dependencies=[requires(USER)],
    response_model=RedirectOut,
    responses={**_AUTH, **_STRIPE, 409: PROBLEM},
)
async def create_portal(
    user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> RedirectOut:
    """Stripe's Customer Portal: payment method, plan changes, cancellation, invoices."""
    return RedirectOut(
        url=await billing.portal(session, resources.settings, resources.stripe, user_id)
    )


@router.get(
    "/invoices",
    dependencies=[requires(USER)],
    response_model=list[InvoiceOut],
    responses={**_AUTH, **_STRIPE},
)
async def list_invoices(
    user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> list[InvoiceOut]:
    found = await billing.invoices(session, resources.stripe, user_id)
    return [InvoiceOut.model_validate(invoice, from_attributes=True) for invoice in found]


@webhooks.post(
    "/stripe",
    dependencies=[requires(PUBLIC)],
    response_model=WebhookAck,
    responses={400: PROBLEM, 503: PROBLEM},
)
async def stripe_webhook(
    request: Request, session: SessionDep, resources: ResourcesDep, request_id: RequestIdDep
) -> WebhookAck:
    """Stripe's events, verified over the raw body with ``Stripe-Signature``. 400
    ``invalid_signature`` stores nothing; a duplicate is acknowledged and not queued
    again; 503 when the event could not be stored (Stripe retries)."""
    new = await billing.receive_webhook(
        session,
        resources.settings,
        payload=await request.body(),
        signature=request.headers.get("stripe-signature"),
        correlation_id=request_id,
    )
    return WebhookAck(duplicate=not new)
