"""What a plan allows and which plan a user is on: pure functions over plain data.

The API enforces the limits (api/services/entitlements.py); the billing consumer uses the
same rules to tell when a user's plan changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infra.settings import BillingSettings
from schemas.billing import ENTITLING_STATUSES, Plan

NO_SUBSCRIPTION = "none"


class Metric(StrEnum):
    ANALYSES = "analyses"
    COACH_MESSAGES = "coach_messages"


class Period(StrEnum):
    MONTH = "month"
    DAY = "day"


PERIODS = {Metric.ANALYSES: Period.MONTH, Metric.COACH_MESSAGES: Period.DAY}


@dataclass(frozen=True)
class SubscriptionView:
    """What entitlement needs of a subscription."""

    id: str
    status: str
    current_period_end: datetime | None
    cancel_at_period_end: bool
    past_due_since: datetime | None


@dataclass(frozen=True)
class Standing:
    """The plan a user is on now and the subscription that decides it (if any)."""

    plan: Plan
    subscription: SubscriptionView | None
    grace_ends_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.subscription.status if self.subscription else NO_SUBSCRIPTION


def grace_end(view: SubscriptionView, grace: timedelta) -> datetime | None:
    if view.status != "past_due" or view.past_due_since is None:
        return None
    return view.past_due_since + grace


def _entitles(view: SubscriptionView, now: datetime, grace: timedelta) -> bool:
    if view.status in ENTITLING_STATUSES:
        return True
    ends = grace_end(view, grace)
    return ends is not None and now < ends


def standing(
    subscriptions: Iterable[SubscriptionView], now: datetime, grace: timedelta
) -> Standing:
    """Pro while any subscription entitles (active, trialing, or past due within the
    grace period); otherwise free, described by the most recent subscription."""
    views = list(subscriptions)
    for view in views:
        if _entitles(view, now, grace):
            return Standing(Plan.PRO, view, grace_end(view, grace))
    if not views:
        return Standing(Plan.FREE, None)
    latest = max(views, key=lambda v: v.current_period_end or datetime.min.replace(tzinfo=UTC))
    return Standing(Plan.FREE, latest)


def limit_of(settings: BillingSettings, plan: Plan, metric: Metric) -> int:
    return int(getattr(settings, f"{plan.value}_{metric.value}_per_{PERIODS[metric].value}"))


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def period_bounds(now: datetime, period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The calendar month or day containing ``now`` in the user's time zone: a limit
    resets at local midnight, not at UTC's."""
    local = now.astimezone(tz)
    if period is Period.DAY:
        start = datetime.combine(local.date(), time(), tz)
        end = datetime.combine(local.date() + timedelta(days=1), time(), tz)
    else:
        first = local.date().replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        start, end = datetime.combine(first, time(), tz), datetime.combine(following, time(), tz)
    return start, end
