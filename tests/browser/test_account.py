"""The account page: two-step verification on and off, API keys, other sessions, the password."""

from __future__ import annotations

import uuid

import pyotp
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, expect

from api.services.mfa import STEP_SECONDS
from tests.browser.conftest import DESKTOP, PHONE, check_page, new_context, sign_up
from tests.support.api import PASSWORD
from tests.support.identity import fresh_step
from tests.support.system import RunningSystem, wait_for


async def _sign_up(
    browser: Browser, system: RunningSystem, email: str
) -> tuple[BrowserContext, Page]:
    context = await new_context(browser, system.base_url, "en", DESKTOP)
    page = await context.new_page()
    await sign_up(page, email)
    return context, page


async def _sign_in(
    browser: Browser, system: RunningSystem, email: str
) -> tuple[BrowserContext, Page]:
    context = await new_context(browser, system.base_url, "en", PHONE)
    page = await context.new_page()
    await page.goto("/login")
    await page.locator("#email").fill(email)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("form[action='/login'] button").click()
    await page.wait_for_url("**/app")
    return context, page


async def test_two_step_verification_is_turned_on_from_the_account_page(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context, page = await _sign_up(browser, system, f"web-{uuid.uuid4().hex[:12]}@example.com")
    try:
        await page.goto("/app/account")
        await expect(page.locator("[data-mfa-state]")).to_have_text("off")
        await page.locator("form[action='/app/account/mfa'] button").click()
        secret = (await page.locator("[data-mfa-secret]").inner_text()).strip()
        await expect(page.locator("img.qr")).to_be_visible()
        await check_page(page, axe, "account-mfa-scan")
        await page.locator("#mfa_on_password").fill(PASSWORD)
        await page.locator("#mfa_code").fill("000000")
        await page.locator("form[action='/app/account/mfa/confirm'] button").click()
        await expect(page.get_by_role("alert")).to_have_text("Wrong code.")
        # A wrong code leaves the enrolment unconfirmed: starting again gives a new key.
        step = await fresh_step()
        await page.goto("/app/account")
        await page.locator("form[action='/app/account/mfa'] button").click()
        secret = (await page.locator("[data-mfa-secret]").inner_text()).strip()
        await page.locator("#mfa_on_password").fill(PASSWORD)
        await page.locator("#mfa_code").fill(pyotp.TOTP(secret).at(step * STEP_SECONDS))
        await page.locator("form[action='/app/account/mfa/confirm'] button").click()
        await expect(page.locator("[data-recovery-codes] li")).not_to_have_count(0)
        await expect(page.locator("[data-mfa-state]")).to_have_text("on")
        await check_page(page, axe, "account-mfa-recovery-codes")

        # Turning it off takes the password and a code: a wrong code leaves it on.
        await page.goto("/app/account")
        await page.locator("#mfa_off_password").fill(PASSWORD)
        await page.locator("#mfa_off_code").fill("000000")
        await page.locator("form[action='/app/account/mfa/disable'] button").click()
        await expect(page.get_by_role("alert")).to_have_text("Wrong code.")
        await expect(page.locator("[data-mfa-state]")).to_have_text("on")
        await check_page(page, axe, "account-mfa-disable-refused")
        await page.locator("#mfa_off_password").fill(PASSWORD)
        await page.locator("#mfa_off_code").fill(pyotp.TOTP(secret).at((step + 1) * STEP_SECONDS))
        await page.locator("form[action='/app/account/mfa/disable'] button").click()
        await expect(page.locator("[data-mfa-off]")).to_have_text("Two-step verification is off.")
        await expect(page.locator("[data-mfa-state]")).to_have_text("off")
        await expect(page.locator("form[action='/app/account/mfa/disable']")).to_have_count(0)
        await check_page(page, axe, "account-mfa-off")
    finally:
        await context.close()


async def test_an_api_key_made_on_the_page_works_until_revoked(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context, page = await _sign_up(browser, system, f"web-{uuid.uuid4().hex[:12]}@example.com")
    try:
        await page.goto("/app/account")
        await page.locator("#key_name").fill("my script")
        await page.locator("form[action='/app/account/api-keys'] button").click()
        key = (await page.locator("[data-new-key]").inner_text()).strip()
        await check_page(page, axe, "account-api-key-created")
        async with system.client() as client:
            bearer = {"Authorization": f"Bearer {key}"}
            assert (await client.get("/v1/cvs", headers=bearer)).status_code == 200
            await page.goto("/app/account")
            await page.locator("[data-key-prefix] form button").click()
            await expect(page.locator("[data-key-prefix]")).to_have_count(0)
            refused = await client.get("/v1/cvs", headers=bearer)
            assert refused.status_code == 401
    finally:
        await context.close()


async def test_another_session_is_ended_from_the_account_page(
    browser: Browser, system: RunningSystem
):
    email = f"web-{uuid.uuid4().hex[:12]}@example.com"
    laptop, page = await _sign_up(browser, system, email)
    phone, other = await _sign_in(browser, system, email)
    try:
        await page.goto("/app/account")
        sessions = page.locator(".sessions li", has=page.locator("form[action$='/revoke']"))
        await expect(sessions).to_have_count(1)
        await sessions.locator("button").click()
        await expect(sessions).to_have_count(0)

        async def phone_signed_out() -> bool:
            await other.goto("/app")
            return "/login" in other.url

        # Within the API's session-check interval.
        await wait_for(phone_signed_out, timeout=20, what="the phone to be signed out")
        await page.goto("/app")
        assert page.url.endswith("/app")
    finally:
        await laptop.close()
        await phone.close()


async def test_changing_the_password_keeps_this_browser_signed_in(
    browser: Browser, system: RunningSystem
):
    context, page = await _sign_up(browser, system, f"web-{uuid.uuid4().hex[:12]}@example.com")
    try:
        await page.goto("/app/account")
        await page.locator("#current_password").fill(PASSWORD)
        await page.locator("#new_password").fill("another rather long passphrase")
        await page.locator("form[action='/app/account/password'] button").click()
        await page.wait_for_url("**/app/account?done=password")
        await expect(page.get_by_role("status")).to_have_text("Saved.")
        await page.goto("/app")
        assert page.url.endswith("/app")
    finally:
        await context.close()
