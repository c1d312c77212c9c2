"""Stripe's webhooks end to end: signed with the SDK, posted over HTTP, applied by the
billing worker over the real broker; duplicates, reordering, bad signatures."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from infra.db.models import AuditEntry, OutboxMessage, StripeEvent
from infra.embedded import free_port
from schemas.billing import stripe_event_uuid
from tests.support import stripe_objects as so
from tests.support.api import new_user, user_id_of
from tests.support.asgi import api_clients
from tests.support.billing import post_event, signed, subscription_life
from tests.support.fake_stripe import sign
from tests.support.kafka import read_topic
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, wait_for

SECRET = SUITE_WEBHOOK_SECRET


async def _stored(system: RunningSystem, event_id: str) -> StripeEvent | None:
    async with system.db.sessions() as session:
        return await session.get(StripeEvent, event_id)


async def _applied_count(system: RunningSystem, event_id: str) -> int:
    async with system.db.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.detail["stripe_event_id"].astext == event_id)
        )
    return int(count or 0)


async def _subscription(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/v1/billing/subscription", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _settled(
    system: RunningSystem, client: httpx.AsyncClient, headers: dict[str, str], events: list[Any]
) -> dict[str, Any]:
    """The subscription once every event given has been applied."""

    async def probe() -> bool:
        async with system.db.sessions() as session:
            done = await session.scalar(
                select(func.count())
                .select_from(StripeEvent)
                .where(
                    StripeEvent.id.in_({e["id"] for e in events}),
                    StripeEvent.processed_at.is_not(None),
                )
            )
        return done == len({e["id"] for e in events})

    await wait_for(probe, timeout=30, what="the events to be applied")
    return await _subscription(client, headers)


async def test_a_signed_event_is_stored_queued_and_applied_once(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        first = await post_event(client, life.events[1], SECRET)
        again = await post_event(client, life.events[1], SECRET)
        assert first.status_code == 200, first.text
        assert first.json() == {"received": True, "duplicate": False}
        assert again.json() == {"received": True, "duplicate": True}
        state = await _settled(system, client, headers, life.events[1:2])
    assert (state["plan"], state["status"]) == ("pro", "active")
    assert await _applied_count(system, life.events[1]["id"]) == 1


async def test_twenty_identical_deliveries_at_once_have_one_effect(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        event = life.events[1]
        answers = await asyncio.gather(*(post_event(client, event, SECRET) for _ in range(20)))
        assert [a.status_code for a in answers] == [200] * 20
        assert sum(not a.json()["duplicate"] for a in answers) == 1
        await _settled(system, client, headers, [event])
    async with system.db.sessions() as session:
        queued = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.payload["stripe_event_id"].astext == event["id"])
        )
    assert queued == 0  # published once and gone; a duplicate never queued a second
    assert await _applied_count(system, event["id"]) == 1


@pytest.mark.parametrize("seed", range(5))
async def test_a_life_in_random_order_with_duplicates_ends_in_stripe_s_last_word(
    system: RunningSystem, seed: int
) -> None:
    rng = random.Random(seed)
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        length = rng.randint(1, len(life.events))
        deliveries = life.events[:length] + rng.choices(life.events[:length], k=3)
        rng.shuffle(deliveries)
        for event in deliveries:
            assert (await post_event(client, event, SECRET)).status_code == 200
        state = await _settled(system, client, headers, deliveries)
    assert (state["plan"], state["status"]) == life.expected[length - 1], [
        e["type"] for e in deliveries
    ]


async def test_events_before_the_user_is_known_are_applied_once_it_is(
    system: RunningSystem,
) -> None:
    """An invoice without metadata arrives first; the checkout naming the user comes later."""
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        anonymous = json.loads(json.dumps(life.events[2]))
        anonymous["data"]["object"]["parent"]["subscription_details"]["metadata"] = {}
        anonymous["data"]["object"]["metadata"] = {}
        await post_event(client, anonymous, SECRET)
        await _settled(system, client, headers, [anonymous])
        row = await _stored(system, anonymous["id"])
        assert row is not None
        assert row.outcome == "unattributed"
        await post_event(client, life.events[0], SECRET)
        state = await _settled(system, client, headers, [life.events[0]])
        assert (state["plan"], state["status"]) == ("pro", "active")
    row = await _stored(system, anonymous["id"])
    assert row is not None
    assert row.outcome == "applied"


async def test_an_unknown_event_type_is_recorded_and_ignored(system: RunningSystem) -> None:
    event = so.event("price.created", so.price(f"price_{uuid.uuid4().hex[:8]}"))
    async with system.client() as client:
        assert (await post_event(client, event, SECRET)).status_code == 200

    async def ignored() -> bool:
        row = await _stored(system, event["id"])
        return row is not None and row.outcome == "ignored"

    await wait_for(ignored, timeout=20, what="the event to be ignored")


def _bad_signatures(body: bytes) -> dict[str, dict[str, str]]:
    now = int(time.time())
    reserialised = json.dumps(json.loads(body), indent=2).encode()
    return {
        "missing": {},
        "garbled": {"Stripe-Signature": "t=abc,v1=zzz"},
        "expired": {"Stripe-Signature": sign(body, SECRET, now - 301)},
        "future": {"Stripe-Signature": sign(body, SECRET, now + 301)},
        "wrong secret": {"Stripe-Signature": sign(body, "whsec_someone_else")},
        # Signed over a re-serialised body: only the exact bytes Stripe sent verify.
        "reserialised": {"Stripe-Signature": sign(reserialised, SECRET, now)},
    }


async def test_bad_signatures_are_refused_and_nothing_is_written(system: RunningSystem) -> None:
    async with system.client() as client:
        for name in _bad_signatures(b"{}"):
            event = so.event("customer.subscription.updated", so.subscription())
            body, _ = signed(event, SECRET)
            header = _bad_signatures(body)[name]
            response = await client.post(
                "/webhooks/stripe",
                content=body,
                headers={**header, "Content-Type": "application/json"},
            )
            assert response.status_code == 400, (name, response.text)
            assert response.json()["code"] == "invalid_signature", name
            assert await _stored(system, event["id"]) is None, name
    async with system.db.sessions() as session:
        queued = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.key == str(stripe_event_uuid(event["id"])))
        )
    assert queued == 0


async def test_a_rotated_secret_and_several_signatures_verify(system: RunningSystem) -> None:
    event = so.event("price.created", so.price(f"price_{uuid.uuid4().hex[:8]}"))
    body = json.dumps(event).encode()
    now = int(time.time())
    old = sign(body, "whsec_old_secret", now)
    new = sign(body, SECRET, now)
    both = f"{old},v1={new.split('v1=')[1]}"
    async with system.client() as client:
        response = await client.post(
            "/webhooks/stripe", content=body, headers={"Stripe-Signature": both}
        )
    assert response.status_code == 200, response.text


async def test_a_body_that_is_no_event_is_refused(system: RunningSystem) -> None:
    body = b'{"hello": "world"}'
    async with system.client() as client:
        response = await client.post(
            "/webhooks/stripe", content=body, headers={"Stripe-Signature": sign(body, SECRET)}
        )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_event"


async def test_an_inbox_that_cannot_be_written_answers_503_so_stripe_retries(
    system: RunningSystem,
) -> None:
    dead = system.settings.model_copy(
        update={
            "database": system.settings.database.model_copy(
                update={"url": f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none"}
            )
        }
    )
    event = so.event("customer.subscription.updated", so.subscription())
    body, headers = signed(event, SECRET)
    async with api_clients(dead) as client_from:
        response = await client_from("198.51.100.4").post(
            "/webhooks/stripe", content=body, headers=headers
        )
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "inbox_unavailable"
    assert await _stored(system, event["id"]) is None


async def test_a_deleted_customer_loses_its_subscriptions(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        for event in life.events[:3]:
            await post_event(client, event, SECRET)
        await _settled(system, client, headers, life.events[:3])
        gone = so.event(
            "customer.deleted", so.customer(life.customer_id), life.events[2]["created"] + 60
        )
        await post_event(client, gone, SECRET)
        state = await _settled(system, client, headers, [gone])
    assert (state["plan"], state["status"]) == ("free", "canceled")


async def test_a_subscription_event_arriving_after_its_customer_was_deleted_stays_cancelled(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        life = subscription_life(user_id_of(headers))
        await post_event(client, life.events[0], SECRET)
        await _settled(system, client, headers, life.events[:1])
        gone = so.event(
            "customer.deleted", so.customer(life.customer_id), life.events[0]["created"] + 60
        )
        await post_event(client, gone, SECRET)
        await _settled(system, client, headers, [gone])
        # Stripe's older events, delivered late.
        for event in life.events[1:3]:
            await post_event(client, event, SECRET)
        state = await _settled(system, client, headers, life.events[1:3])
    assert (state["plan"], state["status"]) == ("free", "canceled")


async def test_the_life_is_told_on_the_bus_once_per_change(system: RunningSystem) -> None:
    """Upgrade, past due, cancellation: one billing.subscription.changed each (and one
    when the paid period becomes known), one billing.payment-failed; nothing for the
    duplicates."""
    async with system.client() as client:
        headers = await new_user(client)
        user_id = user_id_of(headers)
        life = subscription_life(user_id)
        for event in [*life.events, life.events[3], life.events[0]]:
            await post_event(client, event, SECRET)
        await _settled(system, client, headers, life.events)
    key = str(user_id).encode()

    async def told() -> list[dict[str, Any]] | None:
        changed = [
            json.loads(r.value)
            for r in await read_topic(system.settings, "billing.subscription.changed")
            if r.key == key
        ]
        return changed if changed and changed[-1]["status"] == "canceled" else None

    changed = await wait_for(told, timeout=20, what="the cancellation to be told")
    transitions = [
        (c["previous_plan"], c["previous_status"], c["plan"], c["status"])
        for c in changed
        if (c["previous_plan"], c["previous_status"]) != (c["plan"], c["status"])
    ]
    assert transitions == [
        ("free", "none", "pro", "active"),
        ("pro", "active", "pro", "past_due"),
        ("pro", "past_due", "free", "canceled"),
    ]
    # The only other message: the paid period's end, once the subscription said it.
    assert len(changed) <= 4
    assert next(c for c in changed if c["status"] == "past_due")["grace_ends_at"] is not None
    failed = [
        json.loads(r.value)
        for r in await read_topic(system.settings, "billing.payment-failed")
        if r.key == key
    ]
    assert len(failed) == 1
    assert failed[0]["invoice_id"] == life.events[3]["data"]["object"]["id"]
    assert failed[0]["amount_due"] == 2990
