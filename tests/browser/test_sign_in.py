"""Signing in from the browser, with two-step verification on."""

from __future__ import annotations

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, expect

from tests.browser.conftest import PHONE, check_page, new_context
from tests.support.identity import enrol, fresh_step, signed_in
from tests.support.system import RunningSystem


async def test_sign_in_asks_for_the_second_step_and_takes_a_recovery_code(
    browser: Browser, system: RunningSystem, axe: Axe
):
    async with system.client() as client:
        account = await signed_in(client, locale="en")
        await enrol(client, account, await fresh_step())
    context = await new_context(browser, system.base_url, "en", PHONE)
    try:
        page = await context.new_page()
        await page.goto("/app/coach")
        await page.wait_for_url("**/login?next=/app/coach")
        await check_page(page, axe, "sign-in-01-login")
        await page.locator("#email").fill(account.email)
        await page.locator("#password").fill("not the password at all")
        await page.locator("form[action='/login'] button").click()
        await expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
        await check_page(page, axe, "sign-in-02-wrong-password")

        await page.locator("#password").fill(account.password)
        await page.locator("form[action='/login'] button").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Two-step verification")
        await check_page(page, axe, "sign-in-03-mfa")
        await page.locator("#code").fill("000000")
        await page.locator("form[action='/login/mfa'] button").click()
        await expect(page.get_by_role("alert")).to_have_text("Wrong code.")

        await page.locator("#code").fill(account.recovery_codes[0])
        await page.locator("form[action='/login/mfa'] button").click()
        # Back where the visitor was going.
        await page.wait_for_url("**/app/coach")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Career coach")
    finally:
        await context.close()
