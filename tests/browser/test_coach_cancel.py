"""Stopping the coach's reply from the page while it streams."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, expect

from consumers.coaching.offline import CoachInput, reply
from entrypoints.runner import API, RELAY
from infra.embedded import KafkaBroker
from infra.settings import Settings
from tests.browser.conftest import PHONE, new_context, sign_up
from tests.support.system import isolated_settings, running_system

QUESTION = "How do I prepare to negotiate the salary of an offer?"


async def test_the_stop_button_ends_the_reply_with_what_was_streamed(
    browser: Browser, settings: Settings, tmp_path: Path
):
    # A broker and database of their own, with slow deltas that leave time to press stop
    # (on the shared broker, the suite's coaching worker could take the partition).
    broker = KafkaBroker()
    broker.start()
    try:
        own = await isolated_settings(
            settings,
            tmp_path,
            kafka={"bootstrap_servers": broker.bootstrap_servers},
            coach={"offline_delta_seconds": 0.05, "cancel_poll_seconds": 0.02},
        )
        async with running_system(own, [API, RELAY, "coaching"]) as system:
            context = await new_context(browser, system.base_url, "en", PHONE)
            try:
                page = await context.new_page()
                await sign_up(page)
                await page.goto("/app/coach")
                await page.locator("label.choice", has_text="Career").click()
                await page.locator("form[action='/app/coach'] button[type=submit]").click()
                await page.wait_for_url(re.compile(r"/app/coach/[0-9a-f-]{36}$"))

                await page.locator("textarea[name=text]").fill(QUESTION)
                await page.locator("[data-coach-form] button[type=submit]").click()
                stop = page.locator("[data-coach-cancel]")
                await expect(page.locator(".msg.assistant[data-deltas]")).to_have_count(1)
                await stop.click()
                stopped = page.locator(".msg.assistant[data-done='cancelled']")
                await expect(stopped).to_have_count(1, timeout=30_000)
                await expect(stop).to_be_hidden()
                await expect(stopped).to_contain_text("Reply stopped.")
                shown = (await stopped.locator(".text").inner_text()).strip()
                full = reply(CoachInput(message=QUESTION, facts=None, locale=None)).text
                assert shown, "what was said before the stop stays"
                assert len(shown) < len(full.strip()), "the reply stopped before its end"
                # The history agrees once the page is drawn afresh.
                await page.reload()
                assert (await page.locator(".msg.assistant .text").inner_text()).strip() == shown
            finally:
                await context.close()
    finally:
        broker.stop()
