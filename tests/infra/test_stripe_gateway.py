"""The Stripe gateway through the real SDK against a local fake of the Stripe API, and
webhook signature verification."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from infra.stripe_gateway import (
    BillingProviderUnavailable,
    BillingRequestRejected,
    CheckoutLink,
    InvalidWebhookSignature,
    StripeGateway,
    verify_webhook,
)
from tests.support import stripe_objects
from tests.support.fake_stripe import FakeStripe, running_fake_stripe, sign

SECRET = "whsec_test_current"
OLD_SECRET = "whsec_test_previous"
NOW = 1_764_700_000

# The SDK's httpx client posts its form body as raw ``data=``; httpx would like ``content=``.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[FakeStripe]:
    with running_fake_stripe() as fake:
        yield fake


@pytest.fixture
async def stripe_fake(fake_stripe: FakeStripe) -> FakeStripe:
    fake_stripe.recover()
    fake_stripe.forget_requests()
    return fake_stripe


@pytest.fixture
async def gateway(stripe_fake: FakeStripe) -> AsyncIterator[StripeGateway]:
    gw = StripeGateway("sk_test_fake", api_base=stripe_fake.base_url, max_network_retries=0)
    yield gw
    await gw.aclose()


def _customer(fake: FakeStripe) -> str:
    return fake.put_customer(stripe_objects.customer())["id"]


async def _checkout(gateway: StripeGateway, **overrides) -> CheckoutLink:
    args = {
        "user_id": uuid.uuid4(),
        "customer_id": None,
        "customer_email": "pessoa@example.com",
        "price_id": "price_pro_monthly",
        "currency": "brl",
        "payment_method_types": ["card"],
        "success_url": "https://recoloca.test/billing/success",
        "cancel_url": "https://recoloca.test/billing/cancel",
        "locale": "pt-BR",
        "idempotency_key": f"checkout-{uuid.uuid4()}",
    }
    return await gateway.create_checkout_session(**{**args, **overrides})


# Checkout and portal


async def test_checkout_session_carries_the_user_and_the_price(gateway, stripe_fake):
    user_id = uuid.uuid4()
    link = await _checkout(gateway, user_id=user_id, idempotency_key="checkout-key-1")

    assert link.id.startswith("cs_test_")
    assert link.url == f"https://checkout.stripe.test/c/{link.id}"
    (request,) = stripe_fake.requests
    assert (request.method, request.path) == ("POST", "/v1/checkout/sessions")
    assert request.params == {
        "mode": "subscription",
        "line_items[0][price]": "price_pro_monthly",
        "line_items[0][quantity]": "1",
        "currency": "brl",
        "payment_method_types[0]": "card",
        "success_url": "https://recoloca.test/billing/success",
        "cancel_url": "https://recoloca.test/billing/cancel",
        "client_reference_id": str(user_id),
        "metadata[user_id]": str(user_id),
        "subscription_data[metadata][user_id]": str(user_id),
        "customer_email": "pessoa@example.com",
        "locale": "pt-BR",
    }
    assert request.idempotency_key == "checkout-key-1"
    assert request.headers["authorization"] == "Bearer sk_test_fake"


async def test_checkout_reuses_a_known_customer_instead_of_the_email(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    await _checkout(
        gateway,
        customer_id=customer_id,
        payment_method_types=["card", "boleto"],
        locale=None,
    )

    params = stripe_fake.requests[-1].params
    assert params["customer"] == customer_id
    assert "customer_email" not in params
    assert "locale" not in params
    assert (params["payment_method_types[0]"], params["payment_method_types[1]"]) == (
        "card",
        "boleto",
    )


async def test_the_same_idempotency_key_gives_back_the_same_session(gateway, stripe_fake):
    before = len(stripe_fake.checkout_sessions)
    first = await _checkout(gateway, idempotency_key="checkout-twice")
    second = await _checkout(gateway, idempotency_key="checkout-twice")

    assert second == first
    assert len(stripe_fake.checkout_sessions) == before + 1


async def test_portal_session_for_the_customer(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    link = await gateway.create_portal_session(
        customer_id=customer_id, return_url="https://recoloca.test/conta"
    )

    assert link.url.startswith("https://billing.stripe.test/p/session/bps_")
    request = stripe_fake.requests[-1]
    assert (request.method, request.path) == ("POST", "/v1/billing_portal/sessions")
    assert request.params == {"customer": customer_id, "return_url": "https://recoloca.test/conta"}


# Invoices and subscriptions


async def test_invoices_of_the_customer_newest_first(gateway, stripe_fake):
    customer_id, other = _customer(stripe_fake), _customer(stripe_fake)
    for created, number in [(NOW - 200, "A-0001"), (NOW - 100, "A-0002"), (NOW, "A-0003")]:
        stripe_fake.put_invoice(
            stripe_objects.invoice(customer=customer_id, number=number, created=created)
        )
    stripe_fake.put_invoice(stripe_objects.invoice(customer=other, number="B-0001"))
    stripe_fake.put_invoice(
        stripe_objects.invoice(customer=customer_id, status="open", number=None, created=NOW - 300)
    )

    invoices = await gateway.list_invoices(customer_id, limit=3)

    assert [i.number for i in invoices] == ["A-0003", "A-0002", "A-0001"]
    newest = invoices[0]
    assert (newest.amount_due, newest.amount_paid, newest.currency, newest.status) == (
        2990,
        2990,
        "brl",
        "paid",
    )
    assert newest.created == datetime.fromtimestamp(NOW, UTC)
    assert newest.hosted_invoice_url == f"https://invoice.stripe.test/i/{newest.id}"
    assert newest.invoice_pdf == f"https://pay.stripe.test/invoice/{newest.id}/pdf"
    assert stripe_fake.requests[-1].params == {"customer": customer_id, "limit": "3"}


async def test_an_open_invoice_without_a_number_is_summarised(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    stripe_fake.put_invoice(
        stripe_objects.invoice(customer=customer_id, status="open", number=None)
    )

    (invoice,) = await gateway.list_invoices(customer_id)

    assert (invoice.number, invoice.status, invoice.amount_paid) == (None, "open", 0)


async def test_a_subscription_comes_back_as_the_plain_object(gateway, stripe_fake):
    sub = stripe_fake.put_subscription(
        stripe_objects.subscription(
            customer=_customer(stripe_fake),
            interval="year",
            current_period_end=NOW + 86400,
            cancel_at_period_end=True,
            metadata={"user_id": str(uuid.uuid4())},
        )
    )

    found = await gateway.retrieve_subscription(sub["id"])

    assert found == sub
    assert json.loads(json.dumps(found)) == found
    assert found["items"]["data"][0]["price"]["recurring"]["interval"] == "year"


async def test_an_unknown_subscription_is_rejected_as_missing(gateway):
    with pytest.raises(BillingRequestRejected) as raised:
        await gateway.retrieve_subscription("sub_nowhere")

    assert raised.value.code == "resource_missing"
    assert raised.value.http_status == 404
    assert "sub_nowhere" in raised.value.message


async def test_every_subscription_of_the_customer_whatever_its_status(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    ids = {
        stripe_fake.put_subscription(
            stripe_objects.subscription(customer=customer_id, status=status)
        )["id"]
        for status in ("active", "canceled", "past_due")
    }
    stripe_fake.put_subscription(stripe_objects.subscription(customer=_customer(stripe_fake)))

    found = await gateway.list_subscriptions(customer_id)

    assert {s["id"] for s in found} == ids
    request = stripe_fake.requests[-1]
    assert (request.path, request.params["customer"], request.params["status"]) == (
        "/v1/subscriptions",
        customer_id,
        "all",
    )


# Customers


async def test_delete_customer(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    sub = stripe_fake.put_subscription(stripe_objects.subscription(customer=customer_id))

    await gateway.delete_customer(customer_id)

    assert customer_id not in stripe_fake.customers
    assert stripe_fake.subscriptions[sub["id"]]["status"] == "canceled"
    assert (stripe_fake.requests[-1].method, stripe_fake.requests[-1].path) == (
        "DELETE",
        f"/v1/customers/{customer_id}",
    )


async def test_deleting_a_customer_stripe_no_longer_has_is_fine(gateway, stripe_fake):
    customer_id = _customer(stripe_fake)
    await gateway.delete_customer(customer_id)
    await gateway.delete_customer(customer_id)
    await gateway.delete_customer("cus_never_existed")


async def test_deleting_a_customer_can_still_fail(gateway, stripe_fake):
    stripe_fake.reject("account_invalid", "This account cannot delete customers.")

    with pytest.raises(BillingRequestRejected):
        await gateway.delete_customer(_customer(stripe_fake))


# Failures


async def test_an_invalid_request_is_rejected_with_stripes_message_and_code(gateway, stripe_fake):
    stripe_fake.reject("parameter_invalid_empty", "You passed an empty string for 'currency'.")

    with pytest.raises(BillingRequestRejected) as raised:
        await _checkout(gateway)

    assert raised.value.code == "parameter_invalid_empty"
    assert raised.value.message == "You passed an empty string for 'currency'."
    assert raised.value.http_status == 400


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_an_outage_is_unavailable(gateway, stripe_fake, status):
    stripe_fake.outage(status)

    with pytest.raises(BillingProviderUnavailable):
        await gateway.list_subscriptions("cus_any")
    with pytest.raises(BillingProviderUnavailable):
        await _checkout(gateway)


async def test_a_short_outage_is_retried_with_the_same_idempotency_key(stripe_fake):
    gateway = StripeGateway("sk_test_fake", api_base=stripe_fake.base_url)  # 2 retries
    stripe_fake.outage(503, times=2)
    try:
        link = await _checkout(gateway, idempotency_key="checkout-retried")
    finally:
        await gateway.aclose()

    assert link.url.startswith("https://checkout.stripe.test/c/")
    keys = [r.idempotency_key for r in stripe_fake.requests]
    assert keys == ["checkout-retried"] * 3


async def test_stripe_out_of_reach_is_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the call: refused
    gateway = StripeGateway(
        "sk_test_fake", api_base=f"http://127.0.0.1:{port}", max_network_retries=0
    )
    try:
        with pytest.raises(BillingProviderUnavailable):
            await gateway.retrieve_subscription("sub_any")
        with pytest.raises(BillingProviderUnavailable):
            await gateway.delete_customer("cus_any")
    finally:
        await gateway.aclose()


# Webhooks


def _event_body() -> bytes:
    event = stripe_objects.event(
        "customer.subscription.updated", stripe_objects.subscription(), created=NOW
    )
    return json.dumps(event, separators=(",", ":")).encode()


def test_a_signed_event_verifies_to_the_parsed_body():
    body = _event_body()

    event = verify_webhook(body, sign(body, SECRET, NOW), [SECRET], now=NOW + 10)

    assert event == json.loads(body)
    assert event["object"] == "event"


def test_the_clock_defaults_to_now():
    body = _event_body()
    assert verify_webhook(body, sign(body, SECRET), [SECRET])["id"].startswith("evt_")


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        pytest.param(NOW - 301, "expired", id="301 s old"),
        pytest.param(NOW + 301, "future", id="301 s ahead"),
    ],
)
def test_a_timestamp_beyond_the_tolerance_is_refused(timestamp, reason):
    body = _event_body()
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, sign(body, SECRET, timestamp), [SECRET], now=NOW)
    assert raised.value.reason == reason


@pytest.mark.parametrize("timestamp", [NOW - 300, NOW + 300])
def test_a_timestamp_at_the_tolerance_passes(timestamp):
    body = _event_body()
    verify_webhook(body, sign(body, SECRET, timestamp), [SECRET], now=NOW)


@pytest.mark.parametrize("header", [None, "", "   "])
def test_a_missing_header_is_refused(header):
    body = _event_body()
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, header, [SECRET], now=NOW)
    assert raised.value.reason == "missing"


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "t=abc,v1=00ff",
        f"t={NOW}",
        "v1=00ff",
        f"t={NOW},v0=00ff",
        f"t={NOW},t={NOW},v1=00ff",
        f"t={NOW},v1=",
    ],
)
def test_a_garbled_header_is_refused(header):
    body = _event_body()
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, header, [SECRET], now=NOW)
    assert raised.value.reason == "malformed"


def test_another_secret_is_a_mismatch():
    body = _event_body()
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, sign(body, "whsec_someone_else", NOW), [SECRET], now=NOW)
    assert raised.value.reason == "mismatch"


def test_a_re_serialised_body_is_a_mismatch():
    body = _event_body()
    header = sign(body, SECRET, NOW)
    reserialised = json.dumps(json.loads(body), indent=2).encode()
    assert json.loads(reserialised) == json.loads(body)

    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(reserialised, header, [SECRET], now=NOW)
    assert raised.value.reason == "mismatch"


def test_an_old_forged_signature_reports_mismatch_not_age():
    body = _event_body()
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, sign(body, "whsec_forger", NOW - 3600), [SECRET], now=NOW)
    assert raised.value.reason == "mismatch"


def test_one_valid_signature_among_several_is_enough():
    body = _event_body()
    valid = sign(body, SECRET, NOW).split(",")[1]
    other = sign(body, "whsec_rolled_out", NOW).split(",")[1]
    header = f"t={NOW},{other},{valid},v0=deadbeef"

    assert verify_webhook(body, header, [SECRET], now=NOW) == json.loads(body)


@pytest.mark.parametrize("signed_with", [SECRET, OLD_SECRET])
def test_any_of_our_secrets_may_match_during_rotation(signed_with):
    body = _event_body()
    header = sign(body, signed_with, NOW)
    assert verify_webhook(body, header, [SECRET, OLD_SECRET], now=NOW)["type"] == (
        "customer.subscription.updated"
    )


def test_no_secret_configured_is_an_error_of_ours():
    body = _event_body()
    with pytest.raises(ValueError, match="secret"):
        verify_webhook(body, sign(body, SECRET, NOW), ["", " "], now=NOW)


def test_a_signed_body_that_is_not_json_is_malformed():
    body = b"not json"
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, sign(body, SECRET, NOW), [SECRET], now=NOW)
    assert raised.value.reason == "malformed"


def test_verification_uses_the_real_clock_for_age():
    body = _event_body()
    stale = int(time.time()) - 3600
    with pytest.raises(InvalidWebhookSignature) as raised:
        verify_webhook(body, sign(body, SECRET, stale), [SECRET])
    assert raised.value.reason == "expired"
