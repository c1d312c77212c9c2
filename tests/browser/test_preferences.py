"""Notification preferences from the browser."""

from __future__ import annotations

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, expect

from tests.browser.conftest import PHONE, check_page, new_context, sign_up
from tests.support.system import RunningSystem


async def test_optional_notifications_can_be_turned_off_and_required_ones_cannot(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context = await new_context(browser, system.base_url, "pt-BR", PHONE)
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.goto("/app/notifications")
        optional = page.locator("#choice-analysis-email")
        required = page.locator("#choice-security-email")
        await expect(optional).to_be_checked()
        await expect(required).to_be_checked()
        await expect(required).to_be_disabled()
        await optional.uncheck()
        await page.locator("form[action='/app/notifications/preferences'] button").click()
        await page.wait_for_url("**/app/notifications?saved=1")
        await expect(page.locator("#choice-analysis-email")).not_to_be_checked()
        await expect(page.locator("#choice-analysis-in_app")).to_be_checked()
        await check_page(page, axe, "notifications-preferences-saved")
        # What the API reports is what the page saved.
        answer = await page.request.get("/v1/me/notifications")
        assert answer.status == 200, await answer.text()
        saved = {(c["category"], c["channel"]): c["enabled"] for c in await answer.json()}
        assert saved[("analysis", "email")] is False
        assert saved[("analysis", "in_app")] is True
    finally:
        await context.close()
