"""The one place plan limits are enforced: a use is counted in the transaction that
makes it, under a per-user lock, so two requests at the limit cannot both pass."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from api.services.errors import PlanLimitReachedError
from infra.db.repositories import billing as billing_repo
from infra.db.repositories import users as users_repo
from infra.entitlements import (
    PERIODS,
    Metric,
    Standing,
    limit_of,
    period_bounds,
    standing,
    zone,
)
from infra.settings import BillingSettings


@dataclass(frozen=True)
class Usage:
    metric: Metric
    used: int
    limit: int
    period: str
    resets_at: datetime


async def current_standing(
    session: AsyncSession, settings: BillingSettings, user_id: uuid.UUID, now: datetime
) -> Standing:
    views = await billing_repo.subscription_views(session, user_id)
    return standing(views, now, timedelta(days=settings.grace_days))


async def _user_zone(session: AsyncSession, user_id: uuid.UUID) -> ZoneInfo:
    user = await users_repo.by_id(session, user_id)
    return zone(user.time_zone if user else None)


async def _usage(
    session: AsyncSession,
    settings: BillingSettings,
    user_id: uuid.UUID,
    metric: Metric,
    plan_standing: Standing,
    tz: ZoneInfo,
    now: datetime,
) -> Usage:
    start, end = period_bounds(now, PERIODS[metric], tz)
    used = await billing_repo.usage(session, user_id, metric, start, end)
    return Usage(metric, used, limit_of(settings, plan_standing.plan, metric), PERIODS[metric], end)


async def usage(
    session: AsyncSession, settings: BillingSettings, user_id: uuid.UUID
) -> tuple[Standing, list[Usage]]:
    """The user's plan and each limit's use this period."""
    now = datetime.now(UTC)
    plan_standing = await current_standing(session, settings, user_id, now)
    tz = await _user_zone(session, user_id)
    return plan_standing, [
        await _usage(session, settings, user_id, metric, plan_standing, tz, now)
        for metric in Metric
    ]


async def spend(
    session: AsyncSession,
    settings: BillingSettings,
    user_id: uuid.UUID,
    metric: Metric,
    subject_id: uuid.UUID,
) -> None:
    """Count one use of ``metric`` in the caller's transaction, or refuse with 402.

    The lock is held until the caller commits; a use that rolls back was never counted."""
    await billing_repo.lock_usage(session, user_id, metric)
    now = datetime.now(UTC)
    plan_standing = await current_standing(session, settings, user_id, now)
    tz = await _user_zone(session, user_id)
    current = await _usage(session, settings, user_id, metric, plan_standing, tz, now)
    if current.used >= current.limit:
        what = "analyses this month" if metric is Metric.ANALYSES else "coach messages today"
        raise PlanLimitReachedError(
            f"The {plan_standing.plan} plan allows {current.limit} {what}.",
            plan=plan_standing.plan.value,
            metric=metric.value,
            limit=current.limit,
            usage=current.used,
            resets_at=current.resets_at.astimezone(UTC).isoformat(),
        )
    await billing_repo.record_usage(session, user_id, metric, subject_id)
