"""What the first page costs a visitor on a phone: everything it loads, and a budget."""

from __future__ import annotations

from playwright.async_api import Browser, Response

from tests.browser.conftest import PHONE, Timings, new_context, sign_up
from tests.support.system import RunningSystem

# The landing page with its stylesheet, scripts and icon; no framework, no web font.
_BUDGET_BYTES = 60 * 1024


async def test_the_landing_page_loads_little_and_only_from_here(
    browser: Browser, system: RunningSystem, timings: Timings
):
    context = await new_context(browser, system.base_url, "pt-BR", PHONE)
    try:
        page = await context.new_page()
        loaded: list[Response] = []
        page.on("response", lambda response: loaded.append(response))
        await page.goto("/")
        await page.wait_for_load_state("networkidle")
        sizes = {response.url: len(await response.body()) for response in loaded}
        assert all(url.startswith(system.base_url) for url in sizes), sizes
        assert any(url.endswith("/static/app.css") for url in sizes)
        assert any(url.endswith("/static/app.js") for url in sizes)
        timings.first_page.update(sizes)
        assert sum(sizes.values()) < _BUDGET_BYTES, sizes
    finally:
        await context.close()


async def test_the_service_worker_keeps_only_the_app_shell(browser: Browser, system: RunningSystem):
    context = await new_context(browser, system.base_url, "en", PHONE)
    try:
        page = await context.new_page()
        await sign_up(page)
        await page.goto("/app/account")
        await page.goto("/app")
        cached = await page.evaluate(
            """async () => {
                await navigator.serviceWorker.ready;
                const urls = [];
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
                }
                return urls;
            }"""
        )
        assert "/static/app.css" in cached
        assert all(path.startswith("/static/") for path in cached), cached
    finally:
        await context.close()
