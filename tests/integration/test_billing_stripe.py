"""Billing's calls to Stripe through the real SDK, against the local fake: Checkout, the
portal, invoices, re-fetching a subscription before applying it, reconcile, erasure."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from consumers.billing import service
from consumers.context import WorkerContext
from consumers.erasure.service import Target, erase_billing
from entrypoints.cli import app
from infra.db.models import BillingCustomer, Erasure, Invoice, StripeEvent, Subscription
from infra.db.repositories import billing as billing_repo
from infra.db.session import Database
from infra.settings import BillingSettings, Settings, get_settings
from schemas.billing import StripeEventReceived, stripe_event_uuid
from tests.support import stripe_objects as so
from tests.support.api import new_user, user_id_of
from tests.support.asgi import api_clients
from tests.support.billing import PRICE_MONTHLY, Life, post_event, subscription_life, wait_applied
from tests.support.fake_stripe import FakeStripe, running_fake_stripe
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    with running_fake_stripe() as running:
        yield running


def _with_stripe(settings: Settings, fake: FakeStripe) -> Settings:
    return settings.model_copy(
        update={
            "billing": BillingSettings(),
            "stripe": settings.stripe.model_copy(
                update={
                    "api_key": SecretStr("sk_test_fake"),
                    "api_base": fake.base_url,
                    "price_pro_monthly": PRICE_MONTHLY,
                    "price_pro_yearly": "price_pro_yearly_test",
                }
            ),
        }
    )


@pytest.fixture
async def client(system: RunningSystem, fake: FakeStripe) -> AsyncIterator[httpx.AsyncClient]:
    fake.recover()
    fake.forget_requests()
    async with api_clients(_with_stripe(system.settings, fake)) as client_from:
        yield client_from("203.0.113.9")


@pytest.fixture
async def ctx(system: RunningSystem, fake: FakeStripe) -> AsyncIterator[WorkerContext]:
    context = WorkerContext.from_settings(_with_stripe(system.settings, fake))
    yield context
    await context.close()


async def _pro(
    client: httpx.AsyncClient, fake: FakeStripe, headers: dict[str, str], db: Database
) -> Life:
    """A user whose checkout, subscription and first invoice Stripe has reported, and
    the billing worker has applied."""
    life = subscription_life(user_id_of(headers))
    fake.put_customer(so.customer(life.customer_id))
    fake.put_subscription(life.events[1]["data"]["object"])
    for event in life.events[:3]:
        assert (await post_event(client, event, SUITE_WEBHOOK_SECRET)).status_code == 200

    async def pro() -> bool:
        body = (await client.get("/v1/billing/subscription", headers=headers)).json()
        return bool(body["plan"] == "pro")

    await wait_for(pro, timeout=20, what="the user to be pro")
    await wait_applied(db, life.events[:3])
    return life


async def test_without_a_stripe_key_the_stripe_routes_answer_503(system: RunningSystem) -> None:
    async with system.client() as plain:
        headers = await new_user(plain)
        for method, path in (
            ("POST", "/v1/billing/checkout"),
            ("POST", "/v1/billing/portal"),
            ("GET", "/v1/billing/invoices"),
        ):
            response = await plain.request(method, path, headers=headers, json={})
            assert response.status_code == 503, (path, response.text)
            assert response.json()["code"] == "billing_unavailable"


async def test_checkout_names_the_user_everywhere_stripe_will_echo_it(
    client: httpx.AsyncClient, fake: FakeStripe
) -> None:
    headers = await new_user(client)
    user_id = str(user_id_of(headers))
    response = await client.post(
        "/v1/billing/checkout", headers=headers, json={"interval": "month", "currency": "brl"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["url"].startswith("https://checkout.stripe.test/")
    (sent,) = [r for r in fake.requests if r.path == "/v1/checkout/sessions"]
    assert sent.params["client_reference_id"] == user_id
    assert sent.params["metadata[user_id]"] == user_id
    assert sent.params["subscription_data[metadata][user_id]"] == user_id
    assert sent.params["line_items[0][price]"] == PRICE_MONTHLY
    assert sent.params["currency"] == "brl"
    assert [sent.params[f"payment_method_types[{i}]"] for i in (0, 1)] == ["card", "boleto"]
    assert sent.params["mode"] == "subscription"
    assert sent.idempotency_key


async def test_a_subscriber_gets_the_portal_invoices_and_no_second_checkout(
    client: httpx.AsyncClient, fake: FakeStripe, system: RunningSystem
) -> None:
    headers = await new_user(client)
    refused = await client.post("/v1/billing/portal", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_billing_account"
    assert (await client.get("/v1/billing/invoices", headers=headers)).json() == []

    life = await _pro(client, fake, headers, system.db)
    fake.put_invoice(life.events[2]["data"]["object"])
    portal = await client.post("/v1/billing/portal", headers=headers)
    assert portal.status_code == 200, portal.text
    assert portal.json()["url"]
    invoices = (await client.get("/v1/billing/invoices", headers=headers)).json()
    assert [i["id"] for i in invoices] == [life.events[2]["data"]["object"]["id"]]
    assert invoices[0]["amount_paid"] == 2990
    again = await client.post("/v1/billing/checkout", headers=headers, json={})
    assert again.status_code == 409
    assert again.json()["code"] == "already_subscribed"


async def test_no_second_checkout_while_a_boleto_is_pending(
    client: httpx.AsyncClient, fake: FakeStripe, system: RunningSystem
) -> None:
    headers = await new_user(client)
    checkout_completed = subscription_life(user_id_of(headers), boleto=True).events[:1]
    assert (
        await post_event(client, checkout_completed[0], SUITE_WEBHOOK_SECRET)
    ).status_code == 200
    await wait_applied(system.db, checkout_completed)
    again = await client.post("/v1/billing/checkout", headers=headers, json={})
    assert again.status_code == 409
    assert again.json()["code"] == "payment_pending"
    assert not [r for r in fake.requests if r.path == "/v1/checkout/sessions"]
    body = (await client.get("/v1/billing/subscription", headers=headers)).json()
    assert body["plan"] == "free"


async def test_stripe_down_is_a_503_and_a_refusal_a_502(
    client: httpx.AsyncClient, fake: FakeStripe
) -> None:
    headers = await new_user(client)
    fake.outage(503)
    down = await client.post("/v1/billing/checkout", headers=headers, json={})
    assert down.status_code == 503
    assert down.json()["code"] == "billing_unavailable"
    fake.recover()
    fake.reject("parameter_invalid_string", "No such price")
    refused = await client.post("/v1/billing/checkout", headers=headers, json={})
    assert refused.status_code == 502
    assert refused.json()["code"] == "billing_rejected"


async def _stored_only(ctx: WorkerContext, event: dict[str, object]) -> StripeEventReceived:
    """In the inbox, as the webhook stores it, but not queued: the test applies it."""
    created = datetime.fromtimestamp(int(event["created"]), UTC)  # type: ignore[call-overload]
    customer = event["data"]["object"]["customer"]  # type: ignore[index]
    async with ctx.db.transaction() as session:
        await billing_repo.record_event(
            session,
            event_id=str(event["id"]),
            type=str(event["type"]),
            created=created,
            customer_id=customer,
            livemode=False,
            payload=event,
        )
    return StripeEventReceived(
        event_id=stripe_event_uuid(str(event["id"])),
        correlation_id="test",
        stripe_event_id=str(event["id"]),
        stripe_type=str(event["type"]),
        stripe_created=created,
        customer_id=customer,
    )


async def test_with_a_key_the_subscription_is_re_read_from_stripe_before_it_is_applied(
    system: RunningSystem, ctx: WorkerContext, fake: FakeStripe
) -> None:
    async with system.client() as plain:
        headers = await new_user(plain)
        user_id = user_id_of(headers)
    life = subscription_life(user_id)
    # Stripe already cancelled it; the event delivered (late) still says active.
    fake.put_subscription(life.events[4]["data"]["object"])
    message = await _stored_only(ctx, life.events[1])
    await service.handle_stripe_event(ctx, message)
    await service.handle_stripe_event(ctx, message)  # a redelivery changes nothing
    async with ctx.db.sessions() as session:
        row = await session.get(Subscription, life.subscription_id)
        stored = await session.get(StripeEvent, life.events[1]["id"])
    assert row is not None
    assert row.status == "canceled"
    assert stored is not None
    assert stored.outcome == "applied"
    assert any(r.path == f"/v1/subscriptions/{life.subscription_id}" for r in fake.requests)


async def test_reconcile_repairs_drift_and_a_second_run_changes_nothing(
    client: httpx.AsyncClient, ctx: WorkerContext, fake: FakeStripe
) -> None:
    headers = await new_user(client)
    life = await _pro(client, fake, headers, ctx.db)
    # We missed the cancellation: Stripe has it, we do not.
    fake.put_subscription(life.events[4]["data"]["object"])
    assert ctx.stripe is not None
    changes = await service.reconcile(ctx, ctx.stripe, life.user_id)
    assert len(changes) == 1
    assert "status active → canceled" in changes[0]
    state = (await client.get("/v1/billing/subscription", headers=headers)).json()
    assert (state["plan"], state["status"]) == ("free", "canceled")
    assert await service.reconcile(ctx, ctx.stripe, life.user_id) == []


async def test_erasure_deletes_the_stripe_customer_and_keeps_the_invoices_pseudonymous(
    client: httpx.AsyncClient, ctx: WorkerContext, fake: FakeStripe
) -> None:
    headers = await new_user(client)
    life = await _pro(client, fake, headers, ctx.db)
    pseudonym = uuid.uuid4()
    target = Target(erasure_id=uuid.uuid4(), user_id=life.user_id, pseudonym=pseudonym)
    async with ctx.db.transaction() as session:
        session.add(
            Erasure(id=target.erasure_id, user_id=life.user_id, subject_pseudonym=pseudonym)
        )
    await erase_billing(ctx, target)
    await erase_billing(ctx, target)  # a redelivered erasure finishes without error
    assert life.customer_id not in fake.customers
    async with ctx.db.sessions() as session:
        invoice = await session.get(Invoice, life.events[2]["data"]["object"]["id"])
        customer = await session.get(BillingCustomer, life.customer_id)
        event = await session.get(StripeEvent, life.events[0]["id"])
    assert invoice is not None
    assert (invoice.user_id, invoice.pseudonym, invoice.amount_paid) == (None, pseudonym, 2990)
    assert customer is not None
    assert customer.user_id is None
    assert event is not None
    assert event.payload == {}


async def test_the_reconcile_command_prints_what_it_repaired(
    client: httpx.AsyncClient,
    fake: FakeStripe,
    system: RunningSystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = await new_user(client)
    life = await _pro(client, fake, headers, system.db)
    fake.put_subscription(life.events[4]["data"]["object"])
    env = {
        "RECOLOCA_DATABASE_URL": system.settings.database.url or "",
        "RECOLOCA_REDIS_URL": system.settings.redis.url or "",
        "RECOLOCA_STRIPE_API_KEY": "sk_test_fake",
        "RECOLOCA_STRIPE_API_BASE": fake.base_url,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        args = ["billing", "reconcile", "--user", str(life.user_id)]
        first = await asyncio.to_thread(CliRunner().invoke, app, args)
        second = await asyncio.to_thread(CliRunner().invoke, app, args)
        monkeypatch.delenv("RECOLOCA_STRIPE_API_KEY")
        get_settings.cache_clear()
        keyless = await asyncio.to_thread(CliRunner().invoke, app, args)
    finally:
        get_settings.cache_clear()
        root.handlers[:] = handlers
        root.setLevel(level)
    assert first.exit_code == 0, first.output
    assert f"{life.subscription_id}: status active → canceled" in first.output
    assert "1 subscription(s) repaired" in first.output
    assert "0 subscription(s) repaired" in second.output
    assert keyless.exit_code != 0
