from __future__ import annotations

from functools import partial

from consumers.billing import service
from consumers.context import WorkerContext
from consumers.routing import Route, Routes
from schemas.topics import BILLING_STRIPE_EVENT

CONSUMER = service.CONSUMER


def routes(ctx: WorkerContext) -> Routes:
    return {
        BILLING_STRIPE_EVENT: Route(
            partial(service.handle_stripe_event, ctx),
            "Applies a Stripe event from the webhook inbox to the user's subscription and "
            "invoices; emits billing.subscription.changed and billing.payment-failed.",
        )
    }
