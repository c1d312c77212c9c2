"""The console of operators and admins: refused to an ordinary user, lag and dead letters
(with redrive) for an operator, users, roles and the audit log for an admin."""

from __future__ import annotations

import uuid

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, check_page, new_context, sign_up
from tests.support.identity import set_role, signed_in
from tests.support.ops import dead_letter_of
from tests.support.system import RunningSystem, wait_for


async def _status(page: Page, path: str) -> int:
    response = await page.goto(path)
    assert response is not None
    return response.status


async def test_the_console_shows_only_to_its_roles(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context = await new_context(browser, system.base_url, "pt-BR", DESKTOP)
    try:
        page = await context.new_page()
        await sign_up(page)
        user_id = uuid.UUID((await (await page.request.get("/v1/me")).json())["id"])
        await expect(page.locator("[data-nav-ops]")).to_have_count(0)
        assert await _status(page, "/app/ops") == 403
        assert await _status(page, "/app/admin") == 403
        await check_page(page, axe, "console-refused")

        await set_role(system, user_id, "operator")

        async def operator() -> bool:
            return await _status(page, "/app/ops?topic=cv.parsed") == 200

        # The role applies within the session-check interval.
        await wait_for(operator, timeout=20, what="the operator's console to open")
        await expect(page.locator("[data-nav-ops]")).to_have_count(1)
        await expect(page.locator("[data-nav-admin]")).to_have_count(0)
        await expect(page.locator("[data-groups] [data-group]")).not_to_have_count(0)
        assert await _status(page, "/app/admin") == 403

        await dead_letter_of(system, user_id)
        await page.goto("/app/ops?topic=cv.parsed")
        waiting = page.locator("[data-letters] tr[data-letter]:has(input[name=letter])")
        await expect(waiting).not_to_have_count(0)
        letter_id = await waiting.last.get_attribute("data-letter")
        await check_page(page, axe, "console-ops")
        await waiting.last.locator("input[name=letter]").check()
        await page.locator("[data-redrive]").click()
        await expect(page.locator("[data-redriven]")).to_have_attribute("data-redriven", "1")
        done = page.locator(f"[data-letters] tr[data-letter='{letter_id}']")
        await expect(done.locator("input[name=letter]")).to_have_count(0)

        async with system.client() as client:
            other = await signed_in(client)
        await set_role(system, user_id, "admin")

        async def admin() -> bool:
            return await _status(page, "/app/admin") == 200

        await wait_for(admin, timeout=20, what="the admin's console to open")
        await expect(page.locator("[data-audit-action='ops.redrive']")).not_to_have_count(0)
        await page.locator("#admin_email").fill(other.email)
        await page.locator("form[action='/app/admin'] button").click()
        row = page.locator("[data-users] tr[data-user]")
        await expect(row).to_have_count(1)
        await row.locator("select[name=role]").select_option("operator")
        await row.locator("button").click()
        await expect(page.locator("[data-role-changed]")).to_be_visible()
        await page.locator("#admin_email").fill(other.email)
        await page.locator("form[action='/app/admin'] button").click()
        await expect(row.locator("select[name=role]")).to_have_value("operator")
        await expect(page.locator("[data-audit-action='admin.role_changed']")).not_to_have_count(0)
        await check_page(page, axe, "console-admin")
    finally:
        await context.close()
