"""The pages work from the keyboard: a skip link first, a visible focus, forms in order."""

from __future__ import annotations

import uuid

from playwright.async_api import Browser, expect

from tests.browser.conftest import PHONE, new_context
from tests.support.system import RunningSystem


async def test_the_first_tab_offers_to_skip_to_the_content(browser: Browser, system: RunningSystem):
    context = await new_context(browser, system.base_url, "en", PHONE)
    try:
        page = await context.new_page()
        await page.goto("/")
        await page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        await expect(skip).to_be_focused()
        box = await skip.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["y"] >= 0
        # The focus ring is drawn (an outline), not removed.
        outline = await skip.evaluate("e => getComputedStyle(e).outlineStyle")
        assert outline not in ("none", "")
        await page.keyboard.press("Enter")
        await expect(page.locator("main")).to_be_focused()
    finally:
        await context.close()


async def test_signing_up_needs_only_the_keyboard(browser: Browser, system: RunningSystem):
    context = await new_context(browser, system.base_url, "pt-BR", PHONE)
    try:
        page = await context.new_page()
        await page.goto("/signup")
        await page.locator("#email").focus()
        await page.keyboard.type(f"teclado-{uuid.uuid4().hex[:12]}@example.com")
        await page.keyboard.press("Tab")
        await expect(page.locator("#password")).to_be_focused()
        await page.keyboard.type("uma frase longa e secreta")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/app")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Seu painel")
    finally:
        await context.close()
