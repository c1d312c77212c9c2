from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaRouter

from consumers.context import WorkerContext
from consumers.notifications import service
from consumers.runtime import consumer_topics, subscriber_options
from schemas.billing import PaymentFailed, SubscriptionChanged
from schemas.coach import CoachReplyCompleted
from schemas.events import CvFailed, CvScored
from schemas.privacy import UserExportReady
from schemas.topics import (
    BILLING_PAYMENT_FAILED,
    BILLING_SUBSCRIPTION_CHANGED,
    COACH_REPLY_COMPLETED,
    CV_FAILED,
    CV_SCORED,
    NOTIFICATIONS_REQUESTED,
    USER_EXPORT_READY,
    USER_REGISTERED,
    USER_SECURITY_ALERT,
)
from schemas.users import NotificationRequested, UserRegistered, UserSecurityAlert

CONSUMER = service.CONSUMER


def build_router(ctx: WorkerContext) -> KafkaRouter:
    router = KafkaRouter()

    def options(topic: str) -> dict[str, Any]:
        return {
            **subscriber_options(CONSUMER, ctx.settings),
            "title": f"notifications:{topic}",
            "description": f"Notifies the user of {topic} by email and in the app.",
        }

    @router.subscriber(*consumer_topics(CONSUMER, USER_REGISTERED), **options(USER_REGISTERED.name))
    async def on_user_registered(event: UserRegistered) -> None:
        await service.handle(ctx, event)

    @router.subscriber(*consumer_topics(CONSUMER, CV_SCORED), **options(CV_SCORED.name))
    async def on_cv_scored(event: CvScored) -> None:
        await service.handle(ctx, event)

    @router.subscriber(*consumer_topics(CONSUMER, CV_FAILED), **options(CV_FAILED.name))
    async def on_cv_failed(event: CvFailed) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, BILLING_SUBSCRIPTION_CHANGED),
        **options(BILLING_SUBSCRIPTION_CHANGED.name),
    )
    async def on_subscription_changed(event: SubscriptionChanged) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, BILLING_PAYMENT_FAILED), **options(BILLING_PAYMENT_FAILED.name)
    )
    async def on_payment_failed(event: PaymentFailed) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, USER_EXPORT_READY), **options(USER_EXPORT_READY.name)
    )
    async def on_export_ready(event: UserExportReady) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, USER_SECURITY_ALERT), **options(USER_SECURITY_ALERT.name)
    )
    async def on_security_alert(event: UserSecurityAlert) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, COACH_REPLY_COMPLETED), **options(COACH_REPLY_COMPLETED.name)
    )
    async def on_coach_reply(event: CoachReplyCompleted) -> None:
        await service.handle(ctx, event)

    @router.subscriber(
        *consumer_topics(CONSUMER, NOTIFICATIONS_REQUESTED),
        **options(NOTIFICATIONS_REQUESTED.name),
    )
    async def on_requested(event: NotificationRequested) -> None:
        await service.handle(ctx, event)

    return router
