"""Upgrading from the browser: the plan page sends the user to (a local fake of) Stripe
Checkout, and the plan changes when Stripe's signed webhooks arrive."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Route, expect
from pydantic import SecretStr

from entrypoints.runner import API
from infra.embedded import free_port
from tests.browser.conftest import DESKTOP, check_page, new_context, sign_up
from tests.support import stripe_objects as so
from tests.support.billing import PRICE_MONTHLY, post_event, subscription_life
from tests.support.fake_stripe import FakeStripe, running_fake_stripe
from tests.support.system import SUITE_WEBHOOK_SECRET, RunningSystem, running_system, wait_for

_CHECKOUT_PAGE = "<!doctype html><html lang=en><title>Checkout</title><h1>Fake Checkout</h1>"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    with running_fake_stripe() as running:
        yield running


async def test_upgrade_goes_through_checkout_and_the_plan_follows_the_webhooks(
    browser: Browser, system: RunningSystem, fake: FakeStripe, axe: Axe
):
    settings = system.settings.model_copy(
        update={
            "api": system.settings.api.model_copy(update={"port": free_port()}),
            "stripe": system.settings.stripe.model_copy(
                update={
                    "api_key": SecretStr("sk_test_fake"),
                    "api_base": fake.base_url,
                    "price_pro_monthly": PRICE_MONTHLY,
                    "price_pro_yearly": "price_pro_yearly_test",
                }
            ),
        }
    )
    # An API that can call Stripe, beside the suite's workers (which apply the webhooks).
    async with running_system(settings, components=[API]) as shop:
        context = await new_context(browser, shop.base_url, "pt-BR", DESKTOP)

        async def checkout(route: Route) -> None:
            await route.fulfill(status=200, content_type="text/html", body=_CHECKOUT_PAGE)

        await context.route("https://checkout.stripe.test/**", checkout)
        try:
            page = await context.new_page()
            await sign_up(page)
            user_id = (await (await page.request.get("/v1/me")).json())["id"]

            await page.goto("/app/billing")
            await expect(page.locator("[data-plan]")).to_have_text("Grátis")
            await check_page(page, axe, "billing-01-free")
            await page.locator("[data-upgrade]").click()
            await page.wait_for_url("https://checkout.stripe.test/**")
            [session] = [
                s for s in fake.checkout_sessions.values() if s["client_reference_id"] == user_id
            ]
            assert session["currency"] == "brl"

            life = subscription_life(uuid.UUID(user_id))
            fake.put_customer(so.customer(life.customer_id))
            fake.put_subscription(life.events[1]["data"]["object"])
            async with shop.client() as stripe:
                for event in life.events[:3]:
                    answer = await post_event(stripe, event, SUITE_WEBHOOK_SECRET)
                    assert answer.status_code == 200, answer.text

            async def pro() -> bool:
                await page.goto(f"{shop.base_url}/app/billing")
                return (await page.locator("[data-plan]").inner_text()) == "Pro"

            await wait_for(pro, timeout=30, what="the plan page to show Pro")
            await expect(page.locator("form[action='/app/billing/portal']")).to_be_visible()
            await expect(page.locator("[data-invoices-note]")).to_have_text("Nenhuma fatura ainda.")
            await check_page(page, axe, "billing-02-pro")

            # The invoices Stripe holds for the customer are listed, each with its link.
            fake.put_invoice(so.invoice(customer=life.customer_id, number="RC-0001", amount=2990))
            await page.reload()
            row = page.locator("[data-invoices] tbody tr")
            await expect(row).to_have_count(1)
            await expect(row).to_contain_text("RC-0001")
            await expect(row).to_contain_text("BRL 29.90")
            await expect(row).to_contain_text("paga")
            await check_page(page, axe, "billing-03-invoices")
        finally:
            await context.close()


async def test_without_stripe_the_plan_page_says_invoices_will_come(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context = await new_context(browser, system.base_url, "en", DESKTOP)
    try:
        page = await context.new_page()
        await sign_up(page)
        response = await page.goto("/app/billing")
        assert response is not None
        assert response.status == 200
        await expect(page.locator("[data-invoices-note]")).to_contain_text(
            "Invoices show here once there are payments"
        )
        await check_page(page, axe, "billing-no-stripe")
    finally:
        await context.close()
