"""The end of a past-due grace period: the user falls back to free without any event
from Stripe, so the relay (which runs once per deployment) announces it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from infra.db.repositories import billing as billing_repo
from infra.db.repositories import user_events as user_events_repo
from infra.db.session import Database
from infra.entitlements import standing
from producers.outbox import stage_events
from schemas.billing import Plan, SubscriptionChanged

log = structlog.get_logger(__name__)
REASON = "grace_expired"


async def announce_grace_expiries(db: Database, grace: timedelta, *, limit: int = 100) -> int:
    """Tell each user whose grace period ended that they are on free now; how many."""
    now = datetime.now(UTC)
    announced = 0
    async with db.transaction() as session:
        for row in await billing_repo.grace_ended(session, now - grace, limit):
            row.grace_expired_at = now
            user_id = row.user_id
            assert user_id is not None
            views = await billing_repo.subscription_views(session, user_id)
            if standing(views, now, grace).plan is not Plan.FREE:
                continue  # another subscription still entitles the user
            event = SubscriptionChanged(
                correlation_id=f"grace-{uuid.uuid4().hex[:12]}",
                user_id=user_id,
                plan=Plan.FREE,
                previous_plan=Plan.PRO,
                status=row.status,
                previous_status=row.status,
                current_period_end=row.current_period_end,
                cancel_at_period_end=row.cancel_at_period_end,
                reason=REASON,
            )
            await stage_events(session, event)
            await user_events_repo.add(
                session,
                user_id=user_id,
                type=SubscriptionChanged.TYPE,
                data={"plan": Plan.FREE, "status": row.status, "reason": REASON},
            )
            announced += 1
    if announced:
        log.info("grace periods ended", count=announced)
    return announced
