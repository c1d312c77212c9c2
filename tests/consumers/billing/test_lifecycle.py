"""Folding Stripe's events into our state: any order, any duplicates, same answer."""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from consumers.billing.lifecycle import (
    SubscriptionState,
    merge,
    read_event,
    subscription_fact,
)
from infra.entitlements import Period, SubscriptionView, period_bounds, standing
from schemas.billing import Plan
from tests.support import stripe_objects as so
from tests.support.billing import Life, subscription_life

GRACE = timedelta(days=7)


def fold(events: list[dict]) -> SubscriptionState | None:  # type: ignore[type-arg]
    state = None
    for event in events:
        for fact in read_event(event).subscriptions:
            state = merge(state, fact)
    return state


def plan_after(life: Life, events: list[dict], now: datetime) -> tuple[str, str]:  # type: ignore[type-arg]
    state = fold(events)
    assert state is not None
    view = SubscriptionView(
        life.subscription_id,
        state.status,
        state.current_period_end,
        state.cancel_at_period_end,
        state.past_due_since,
    )
    return standing([view], now, GRACE).plan.value, state.status


def test_every_order_of_every_prefix_of_a_life_ends_in_stripe_s_last_word() -> None:
    life = subscription_life(uuid.uuid4())
    now = datetime.fromtimestamp(life.events[-1]["created"] + 60, UTC)
    for length in range(1, len(life.events) + 1):
        for order in itertools.permutations(life.events[:length]):
            assert plan_after(life, list(order), now) == life.expected[length - 1], (
                length,
                [e["type"] for e in order],
            )


def test_duplicates_change_nothing() -> None:
    life = subscription_life(uuid.uuid4())
    now = datetime.fromtimestamp(life.events[-1]["created"] + 60, UTC)
    rng = random.Random(7)
    for _ in range(50):
        deliveries = life.events + rng.choices(life.events, k=6)
        rng.shuffle(deliveries)
        assert plan_after(life, deliveries, now) == ("free", "canceled")


def test_past_due_keeps_pro_for_the_grace_period_then_falls_back() -> None:
    life = subscription_life(uuid.uuid4())
    failed_at = datetime.fromtimestamp(life.events[3]["created"], UTC)
    events = life.events[:4]
    assert plan_after(life, events, failed_at + GRACE - timedelta(seconds=1)) == ("pro", "past_due")
    assert plan_after(life, events, failed_at + GRACE) == ("free", "past_due")


def test_a_boleto_checkout_is_pending_until_the_payment_settles() -> None:
    life = subscription_life(uuid.uuid4(), boleto=True)
    checkout = life.events[0]
    state = fold([checkout])
    assert state is not None
    assert state.status == "incomplete"
    settled = so.event(
        "checkout.session.async_payment_succeeded",
        checkout["data"]["object"] | {"payment_status": "paid"},
        checkout["created"] + 86400,
    )
    assert (s := fold([checkout, settled])) is not None
    assert s.status == "active"
    failed = so.event(
        "checkout.session.async_payment_failed",
        checkout["data"]["object"],
        checkout["created"] + 86400,
    )
    assert (s := fold([checkout, failed])) is not None
    assert s.status == "incomplete"


def test_invoice_paid_before_checkout_completed_still_entitles() -> None:
    life = subscription_life(uuid.uuid4())
    paid, checkout = life.events[2], life.events[0]
    facts = read_event(paid)
    assert facts.user_id == life.user_id  # from the subscription's metadata on the invoice
    now = datetime.fromtimestamp(paid["created"] + 5, UTC)
    assert plan_after(life, [paid, checkout], now) == ("pro", "active")


def test_deleted_before_an_older_update_leaves_the_subscription_cancelled() -> None:
    life = subscription_life(uuid.uuid4())
    deleted = life.events[4]
    older_update = so.event(
        "customer.subscription.updated",
        life.events[1]["data"]["object"] | {"cancel_at_period_end": True},
        deleted["created"] - 30,
    )
    state = fold([deleted, older_update])
    assert state is not None
    assert state.status == "canceled"
    # Even an update stamped later cannot revive it: Stripe never does.
    later = so.event(
        "customer.subscription.updated", life.events[1]["data"]["object"], deleted["created"] + 5
    )
    assert (s := fold([deleted, later])) is not None
    assert s.status == "canceled"


def test_an_older_event_fills_in_what_the_newer_one_lacked() -> None:
    life = subscription_life(uuid.uuid4())
    failed, created = life.events[3], life.events[1]
    state = fold([failed, created])
    assert state is not None
    assert state.status == "past_due"
    assert state.price_id == created["data"]["object"]["items"]["data"][0]["price"]["id"]
    assert state.past_due_since == datetime.fromtimestamp(failed["created"], UTC)


def test_a_failed_first_invoice_leaves_the_subscription_incomplete_not_past_due() -> None:
    first = so.invoice(status="open", billing_reason="subscription_create")
    (fact,) = read_event(so.event("invoice.payment_failed", first)).subscriptions
    assert fact.status == "incomplete"


def test_unknown_types_are_recorded_not_applied() -> None:
    facts = read_event(so.event("price.created", so.price("price_x")))
    assert not facts.handled
    assert facts.subscriptions == ()


def test_a_fetched_subscription_outranks_events_of_the_same_second() -> None:
    life = subscription_life(uuid.uuid4())
    at = datetime.fromtimestamp(life.events[3]["created"], UTC)
    fetched = subscription_fact(
        life.events[1]["data"]["object"] | {"status": "active"}, at, precedence_bonus=100
    )
    assert fetched is not None
    state = fold(life.events[:4])
    assert state is not None
    assert state.status == "past_due"
    assert merge(state, fetched).status == "active"


def test_the_period_is_the_user_s_local_month_and_day() -> None:
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    # 02:00 UTC on 1 March is still 28 February in São Paulo.
    now = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    start, end = period_bounds(now, Period.MONTH, sao_paulo)
    assert (start.month, start.day, end.month, end.day) == (2, 1, 3, 1)
    day_start, day_end = period_bounds(now, Period.DAY, sao_paulo)
    assert day_start.day == 28
    assert day_end - day_start == timedelta(days=1)
    december = period_bounds(datetime(2026, 12, 31, 12, tzinfo=UTC), Period.MONTH, sao_paulo)
    assert december[1].year == 2027
    assert december[1].month == 1


def test_no_subscription_is_free() -> None:
    assert standing([], datetime.now(UTC), GRACE).plan is Plan.FREE
