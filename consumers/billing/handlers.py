from __future__ import annotations

from faststream.kafka import KafkaRouter

from consumers.billing import service
from consumers.context import WorkerContext
from consumers.runtime import consumer_topics, subscriber_options
from schemas.billing import StripeEventReceived
from schemas.topics import BILLING_STRIPE_EVENT

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        *consumer_topics(CONSUMER, BILLING_STRIPE_EVENT),
        **subscriber_options(CONSUMER, ctx.settings),
        title="billing:billing.stripe-event",
        description="Applies a Stripe event from the webhook inbox to the user's subscription "
        "and invoices; emits billing.subscription.changed and billing.payment-failed.",
    )
    async def on_stripe_event(event: StripeEventReceived) -> None:
        await service.handle_stripe_event(ctx, event)

    return router
