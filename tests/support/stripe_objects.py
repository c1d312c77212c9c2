"""Stripe objects as the API and webhooks send them (API version 2025-09-30.clover):
plain dicts, with the fields our code reads set from the arguments and the rest as Stripe
fills them for a test-mode subscription. Billing periods live on the subscription items,
an invoice names its subscription under ``parent.subscription_details``."""

from __future__ import annotations

import secrets
import time
from typing import Any

API_VERSION = "2025-09-30.clover"


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def customer(
    id: str | None = None,
    *,
    email: str | None = "pessoa@example.com",
    metadata: dict[str, str] | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    return {
        "id": id or _id("cus"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created or int(time.time()),
        "currency": "brl",
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": email,
        "invoice_prefix": "7FE1103",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata or {},
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": ["pt-BR"],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def price(id: str, *, interval: str = "month", unit_amount: int = 2990) -> dict[str, Any]:
    return {
        "id": id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": 1721948530,
        "currency": "brl",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": "prod_QXg1hqf4jFNsqG",
        "recurring": {
            "interval": interval,
            "interval_count": 1,
            "meter": None,
            "usage_type": "licensed",
            "trial_period_days": None,
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def _period_start(end: int, interval: str) -> int:
    return end - (365 if interval == "year" else 30) * 86400


def subscription(
    id: str | None = None,
    customer: str = "cus_QXg1o8vcGmoR32",
    status: str = "active",
    price_id: str = "price_1PgafmB7WZ01zgkW6dKueIc5",
    interval: str = "month",
    current_period_end: int | None = None,
    cancel_at_period_end: bool = False,
    metadata: dict[str, str] | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    sub_id = id or _id("sub")
    created = created or int(time.time())
    end = current_period_end or created + (365 if interval == "year" else 30) * 86400
    start = _period_start(end, interval)
    canceled = status == "canceled"
    return {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"enabled": False, "liability": None, "disabled_reason": None},
        "billing_cycle_anchor": start,
        "billing_cycle_anchor_config": None,
        "billing_mode": {"type": "flexible", "flexible": {"proration_discounts": "included"}},
        "cancel_at": end if cancel_at_period_end else None,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": end if canceled else None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": created,
        "currency": "brl",
        "customer": customer,
        "days_until_due": None,
        "default_payment_method": "pm_1Pgc6qB7WZ01zgkWcard",
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": end if canceled else None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": _id("si"),
                    "object": "subscription_item",
                    "created": created,
                    "current_period_end": end,
                    "current_period_start": start,
                    "discounts": [],
                    "metadata": {},
                    "price": price(price_id, interval=interval),
                    "quantity": 1,
                    "subscription": sub_id,
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": _id("in"),
        "livemode": False,
        "metadata": metadata or {},
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": created,
        "status": status,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def invoice(
    id: str | None = None,
    *,
    customer: str = "cus_QXg1o8vcGmoR32",
    subscription: str | None = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
    status: str = "paid",
    amount: int = 2990,
    currency: str = "brl",
    billing_reason: str = "subscription_create",
    period_start: int | None = None,
    period_end: int | None = None,
    metadata: dict[str, str] | None = None,
    number: str | None = "7FE1103-0001",
    created: int | None = None,
) -> dict[str, Any]:
    invoice_id = id or _id("in")
    created = created or int(time.time())
    start = period_start or created
    end = period_end or start + 30 * 86400
    paid = status == "paid"
    parent = (
        {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": metadata or {}, "subscription": subscription},
        }
        if subscription
        else None
    )
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "BR",
        "account_name": "Recoloca",
        "amount_due": amount,
        "amount_overpaid": 0,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "amount_shipping": 0,
        "attempt_count": 1 if status != "draft" else 0,
        "attempted": status != "draft",
        "auto_advance": not paid,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_email": "pessoa@example.com",
        "customer_name": None,
        "default_payment_method": None,
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": created if status != "draft" else None,
        "hosted_invoice_url": f"https://invoice.stripe.test/i/{invoice_id}",
        "invoice_pdf": f"https://pay.stripe.test/invoice/{invoice_id}/pdf",
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": _id("il"),
                    "object": "line_item",
                    "amount": amount,
                    "currency": currency,
                    "description": "1 × Recoloca Pro",
                    "discount_amounts": [],
                    "discountable": True,
                    "discounts": [],
                    "invoice": invoice_id,
                    "livemode": False,
                    "metadata": metadata or {},
                    "parent": {
                        "type": "subscription_item_details",
                        "invoice_item_details": None,
                        "subscription_item_details": {
                            "invoice_item": None,
                            "proration": False,
                            "proration_details": {"credited_items": None},
                            "subscription": subscription,
                            "subscription_item": _id("si"),
                        },
                    },
                    "period": {"end": end, "start": start},
                    "pretax_credit_amounts": [],
                    "pricing": {"type": "price_details", "unit_amount_decimal": str(amount)},
                    "quantity": 1,
                    "taxes": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": number,
        "on_behalf_of": None,
        "parent": parent,
        "period_end": end,
        "period_start": start,
        "receipt_number": None,
        "status": status,
        "status_transitions": {
            "finalized_at": created if status != "draft" else None,
            "marked_uncollectible_at": None,
            "paid_at": created if paid else None,
            "voided_at": None,
        },
        "subtotal": amount,
        "subtotal_excluding_tax": amount,
        "test_clock": None,
        "total": amount,
        "total_discount_amounts": [],
        "total_excluding_tax": amount,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": created,
    }


def checkout_session(
    id: str | None = None,
    *,
    client_reference_id: str | None = None,
    customer: str | None = "cus_QXg1o8vcGmoR32",
    subscription: str | None = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
    payment_status: str = "paid",
    metadata: dict[str, str] | None = None,
    currency: str = "brl",
    amount_total: int = 2990,
    customer_email: str | None = None,
    success_url: str = "https://recoloca.test/billing/success",
    cancel_url: str = "https://recoloca.test/billing/cancel",
    created: int | None = None,
) -> dict[str, Any]:
    session_id = id or f"cs_test_{secrets.token_hex(24)}"
    created = created or int(time.time())
    complete = payment_status == "paid"
    return {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": cancel_url,
        "client_reference_id": client_reference_id,
        "client_secret": None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": currency,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": customer,
        "customer_creation": "always" if customer is None else None,
        "customer_details": {
            "address": None,
            "email": customer_email or "pessoa@example.com",
            "name": None,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        }
        if complete
        else None,
        "customer_email": customer_email,
        "expires_at": created + 86400,
        "invoice": _id("in") if complete else None,
        "invoice_creation": None,
        "livemode": False,
        "locale": "pt-BR",
        "metadata": metadata or {},
        "mode": "subscription",
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "always",
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": payment_status,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "complete" if complete else "open",
        "submit_type": None,
        "subscription": subscription,
        "success_url": success_url,
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": None if complete else f"https://checkout.stripe.test/c/{session_id}",
    }


def event(
    type: str, obj: dict[str, Any], created: int | None = None, id: str | None = None
) -> dict[str, Any]:
    """Stripe's envelope around ``obj``, as a webhook delivers it."""
    return {
        "id": id or _id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": created or int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
    }
