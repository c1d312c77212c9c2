"""Stripe, seen through our own small types: checkout and portal links, invoices,
subscriptions as plain dicts, customer deletion, and webhook verification.

Every call goes through the SDK's ``StripeClient`` with its async methods over
``stripe.HTTPXClient`` (httpx is already ours). No SDK object and no SDK exception leaves
this module: results are frozen dataclasses or plain dicts, failures are
``BillingProviderUnavailable`` (worth retrying later) or ``BillingRequestRejected``
(Stripe refused what we asked; retrying the same request will not help).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import stripe

from infra.settings import StripeSettings

if TYPE_CHECKING:
    from stripe.params import InvoiceListParams, SubscriptionListParams
    from stripe.params.checkout import SessionCreateParams

_T = TypeVar("_T")


class BillingProviderError(Exception):
    """Stripe could not do what we asked."""


class BillingProviderUnavailable(BillingProviderError):
    """Stripe could not be reached, failed (5xx) or asked us to slow down (429)."""


class BillingRequestRejected(BillingProviderError):
    """Stripe refused the request (4xx): Stripe's own message and error code."""

    def __init__(self, message: str, *, code: str | None, http_status: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status


class InvalidWebhookSignature(Exception):
    """A webhook that is not provably from Stripe, or not recent enough.

    ``reason`` is one of ``missing``, ``malformed``, ``expired``, ``future``, ``mismatch``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckoutLink:
    id: str
    url: str


@dataclass(frozen=True)
class PortalLink:
    url: str


@dataclass(frozen=True)
class InvoiceSummary:
    id: str
    number: str | None
    amount_due: int
    amount_paid: int
    currency: str
    status: str | None
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    created: datetime


def _translate(error: stripe.StripeError) -> BillingProviderError:
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError):
        return BillingProviderUnavailable(f"Stripe unavailable: {error.user_message}")
    status = error.http_status
    if status is None or status >= 500:
        return BillingProviderUnavailable(f"Stripe failed ({status}): {error.user_message}")
    code = error.code or (error.error.code if error.error is not None else None)
    return BillingRequestRejected(
        error.user_message or f"Stripe refused the request ({status})",
        code=code,
        http_status=status,
    )


def is_missing(error: BillingProviderError) -> bool:
    """Stripe has no such object (deleted, or never existed)."""
    return isinstance(error, BillingRequestRejected) and (
        error.code == "resource_missing" or error.http_status == 404
    )


class StripeGateway:
    """Our calls to Stripe. One per process; ``await aclose()`` when done."""

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str | None = None,
        timeout_seconds: float = 10.0,
        max_network_retries: int = 2,
    ) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=self._http,
            max_network_retries=max_network_retries,
        )

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]  # the SDK leaves it untyped

    async def _call(self, request: Awaitable[_T]) -> _T:
        try:
            return await request
        except stripe.StripeError as error:
            raise _translate(error) from error

    async def create_checkout_session(
        self,
        *,
        user_id: uuid.UUID,
        customer_id: str | None,
        customer_email: str | None,
        price_id: str,
        currency: str,
        payment_method_types: list[str],
        success_url: str,
        cancel_url: str,
        locale: str | None,
        idempotency_key: str,
    ) -> CheckoutLink:
        """A hosted Checkout page subscribing the user to ``price_id``. The same
        ``idempotency_key`` gives back the same session (Stripe keeps keys for 24 h)."""
        metadata = {"user_id": str(user_id)}
        params: dict[str, Any] = {
            "mode": "subscription",
            "line_items": [{"price": price_id, "quantity": 1}],
            "currency": currency,
            "payment_method_types": payment_method_types,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(user_id),
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }
        if customer_id:
            params["customer"] = customer_id
        elif customer_email:
            params["customer_email"] = customer_email
        if locale:
            params["locale"] = locale
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                cast("SessionCreateParams", params),
                {"idempotency_key": idempotency_key},
            )
        )
        if session.url is None:
            raise BillingProviderUnavailable(f"Checkout session {session.id} came without a URL")
        return CheckoutLink(id=session.id, url=session.url)

    async def create_portal_session(self, *, customer_id: str, return_url: str) -> PortalLink:
        session = await self._call(
            self._client.v1.billing_portal.sessions.create_async(
                {"customer": customer_id, "return_url": return_url}
            )
        )
        return PortalLink(url=session.url)

    async def list_invoices(self, customer_id: str, limit: int = 24) -> list[InvoiceSummary]:
        """The customer's most recent invoices, newest first (one page of ``limit``)."""
        params: InvoiceListParams = {"customer": customer_id, "limit": limit}
        page = await self._call(self._client.v1.invoices.list_async(params))
        return [
            InvoiceSummary(
                id=str(invoice.id),
                number=invoice.number,
                amount_due=invoice.amount_due,
                amount_paid=invoice.amount_paid,
                currency=invoice.currency,
                status=invoice.status,
                hosted_invoice_url=invoice.hosted_invoice_url,
                invoice_pdf=invoice.invoice_pdf,
                created=datetime.fromtimestamp(invoice.created, UTC),
            )
            for invoice in page.data
        ]

    async def retrieve_subscription(self, subscription_id: str) -> dict[str, Any]:
        """The subscription as Stripe holds it now, as a plain dict (a webhook's
        ``data.object`` has the same shape)."""
        subscription = await self._call(
            self._client.v1.subscriptions.retrieve_async(subscription_id)
        )
        return subscription.to_dict(for_json=True)

    async def list_subscriptions(self, customer_id: str) -> list[dict[str, Any]]:
        """Every subscription of the customer, whatever its status, across all pages."""
        params: SubscriptionListParams = {"customer": customer_id, "status": "all", "limit": 100}
        try:
            page = await self._client.v1.subscriptions.list_async(params)
            return [s.to_dict(for_json=True) async for s in page.auto_paging_iter()]
        except stripe.StripeError as error:
            raise _translate(error) from error

    async def delete_customer(self, customer_id: str) -> None:
        """Deletes the customer (Stripe cancels its subscriptions at once). A customer
        Stripe no longer has counts as deleted."""
        try:
            await self._call(self._client.v1.customers.delete_async(customer_id))
        except BillingRequestRejected as error:
            if not is_missing(error):
                raise


def _parse_signature_header(header: str) -> tuple[int, list[str]]:
    timestamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            raise InvalidWebhookSignature("malformed")
        if key == "t":
            timestamps.append(value)
        elif key == "v1" and value:
            signatures.append(value)
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise InvalidWebhookSignature("malformed")
    return int(timestamps[0]), signatures


def verify_webhook(
    payload: bytes,
    sig_header: str | None,
    secrets: list[str],
    *,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> dict[str, Any]:
    """The event in ``payload`` (the exact raw body), once its ``Stripe-Signature`` header
    proves one of ``secrets`` signed it within ``tolerance_seconds`` of ``now`` — before
    or after: the SDK lets a timestamp from the future through, we do not.

    The header may carry several ``v1=`` signatures (Stripe signs with every live secret
    while one is being rolled) and ``secrets`` may hold ours old and new: any match will do.
    """
    usable = [secret for secret in secrets if secret and secret.strip()]
    if not usable:
        raise ValueError("no webhook signing secret is configured")
    if sig_header is None or not sig_header.strip():
        raise InvalidWebhookSignature("missing")
    timestamp, _ = _parse_signature_header(sig_header)
    try:
        body = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidWebhookSignature("malformed") from None

    for secret in usable:
        try:
            # No tolerance here: the SDK's clock check is one-sided; ours follows.
            stripe.WebhookSignature.verify_header(body, sig_header, secret, tolerance=None)
        except stripe.SignatureVerificationError:
            continue
        break
    else:
        raise InvalidWebhookSignature("mismatch")

    current = time.time() if now is None else now
    if timestamp < current - tolerance_seconds:
        raise InvalidWebhookSignature("expired")
    if timestamp > current + tolerance_seconds:
        raise InvalidWebhookSignature("future")
    try:
        event = json.loads(body)
    except json.JSONDecodeError:
        raise InvalidWebhookSignature("malformed") from None
    if not isinstance(event, dict):
        raise InvalidWebhookSignature("malformed")
    return event


def gateway_from(settings: StripeSettings) -> StripeGateway | None:
    """The gateway the settings describe; None when no API key is configured."""
    if settings.api_key is None:
        return None
    return StripeGateway(
        settings.api_key.get_secret_value(),
        api_base=settings.api_base,
        timeout_seconds=settings.timeout_seconds,
    )
