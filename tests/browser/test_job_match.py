"""Matching an analysed CV against another job from its page, live, and the versions of
its analysis compared side by side."""

from __future__ import annotations

import re

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, check_page, new_context, sign_up
from tests.support.documents import txt_cv
from tests.support.system import RunningSystem

JOB = "Vaga de pessoa desenvolvedora Python sênior: FastAPI, PostgreSQL, Kafka e Docker."


async def _analysed_cv(page: Page) -> None:
    """A new user's CV, uploaded and open on its analysis page."""
    await sign_up(page)
    await page.goto("/app/upload")
    await page.locator('input[type="file"]').set_input_files(
        {"name": "cv.txt", "mimeType": "text/plain", "buffer": txt_cv()}
    )
    await page.locator("[data-upload] button[type=submit]").click()
    await page.locator("[data-full-analysis]").click(timeout=60_000)
    await expect(page.locator("#match-h")).to_have_count(0)


# Two refreshes of the analysis at once, as cv.scored and report.ready bring them.
_REFRESH_TWICE = """async () => {
    const src = document.querySelector("script[type=module]").src;
    const live = await import(new URL("live.js", src));
    const root = document.querySelector("[data-cv-live]");
    const url = `/app/cvs/${root.dataset.cvId}/analysis`;
    await Promise.all([live.swapFragment(url, root), live.swapFragment(url, root)]);
}"""


async def test_what_the_user_is_typing_survives_a_refresh_of_the_analysis(
    browser: Browser, system: RunningSystem
):
    context = await new_context(browser, system.base_url, "pt-BR", DESKTOP)
    try:
        page = await context.new_page()
        await _analysed_cv(page)
        await page.locator("#match_job").fill(JOB)
        await page.evaluate(_REFRESH_TWICE)
        await expect(page.locator("#match_job")).to_have_value(JOB)
        await expect(page.locator("#match_job")).to_be_focused()
    finally:
        await context.close()


async def test_a_new_job_description_brings_a_new_analysis_without_a_reload(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context = await new_context(browser, system.base_url, "pt-BR", DESKTOP)
    try:
        page = await context.new_page()
        await _analysed_cv(page)

        await page.evaluate("window.__same_document = true")
        await page.locator("#match_job").fill(JOB)
        await page.locator("form[data-match] button").click()
        await expect(page.locator("#match-h")).to_be_visible(timeout=60_000)
        assert await page.evaluate("window.__same_document === true"), "the page reloaded"
        await expect(page.locator("section:has(#match-h) .chip")).not_to_have_count(0)
        # Both versions of the analysis side by side: the first without a job, the second with.
        versions = page.locator("[data-versions]")
        await expect(versions.locator("thead th[data-version]")).to_have_count(2)
        match_row = versions.locator("[data-versions-match] td")
        await expect(match_row.nth(0)).to_have_text("—")
        await expect(match_row.nth(1)).to_have_text(re.compile(r"^\d{1,3}%$"))
        await expect(versions.locator("[data-versions-score] td")).to_have_count(2)
        await check_page(page, axe, "job-match-live")

        await page.locator("#match_job").fill("curta demais")
        await page.locator("form[data-match] textarea").evaluate(
            "e => e.removeAttribute('minlength')"
        )
        await page.locator("form[data-match] button").click()
        await expect(page.locator("[data-match-error]")).to_have_text(
            "Cole o anúncio inteiro: pelo menos 30 caracteres."
        )
    finally:
        await context.close()
