"""The job seeker's journey in real Chromium, in both languages, on a laptop and a phone:
sign up, upload a two-column PDF, watch the score arrive without a reload, read a
suggestion's evidence, talk to the coach, and visit every other page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, Timings, check_page, new_context, two_column_pdf
from tests.support.api import PASSWORD
from tests.support.system import RunningSystem

_JOBS = {
    "pt-BR": "Vaga para analista: Excel, Power BI, SQL, Python e inglês avançado.",
    "en": "Data analyst role: Excel, Power BI, SQL, Python and stakeholder management.",
}
_WORDS = {
    "pt-BR": {"signup": "Criar conta", "score": "Nota ATS", "coach": "Coach de carreira"},
    "en": {"signup": "Create account", "score": "ATS score", "coach": "Career coach"},
}


async def _open(page: Page, path: str, axe: Axe, name: str, timings: Timings) -> None:
    await page.goto(path)
    await check_page(page, axe, name, timings)


@pytest.mark.parametrize(
    ("locale", "size"),
    [("pt-BR", "desktop"), ("en", "desktop"), ("pt-BR", "phone"), ("en", "phone")],
)
async def test_journey(
    system: RunningSystem,
    browser: Browser,
    axe: Axe,
    timings: Timings,
    tmp_path: Path,
    locale: str,
    size: str,
):
    words = _WORDS[locale]
    tag = f"{locale}-{size}"
    context = await new_context(
        browser, system.base_url, locale, DESKTOP if size == "desktop" else PHONE
    )
    try:
        page = await context.new_page()
        await _open(page, "/", axe, f"{tag}-01-landing", timings)
        await expect(page.locator("html")).to_have_attribute("lang", locale)

        await page.get_by_role(
            "link", name=re.compile(words["signup"] + "|Comece|Start")
        ).first.click()
        await check_page(page, axe, f"{tag}-02-signup", timings)
        await page.get_by_label(re.compile("E-mail|Email")).fill(
            f"web-{uuid.uuid4().hex[:12]}@example.com"
        )
        await page.get_by_label(re.compile("^(Senha|Password)$")).fill(PASSWORD)
        await page.get_by_role("button", name=words["signup"]).click()
        await page.wait_for_url("**/app")
        await check_page(page, axe, f"{tag}-03-dashboard", timings)

        await page.goto("/app/upload")
        await check_page(page, axe, f"{tag}-04-upload", timings)
        # Marks this document: a reload would lose it.
        await page.evaluate("window.__same_document = true")
        pdf, quoted = two_column_pdf(locale[:2], tmp_path)
        await page.locator('input[type="file"]').set_input_files(str(pdf))
        with_job = size == "phone"
        if with_job:
            await page.locator("#job_description").fill(_JOBS[locale])
        await page.locator("[data-upload] button[type=submit]").click()
        score = page.locator("[data-result] [data-score]")
        await expect(score).to_have_text(re.compile(r"^\d{1,3}$"), timeout=60_000)
        assert await page.evaluate("window.__same_document === true"), "the page reloaded"
        await expect(page.locator('[data-step="scored"]')).to_have_class(re.compile("done"))
        await check_page(page, axe, f"{tag}-05-upload-scored")

        await page.locator("[data-full-analysis]").click()
        await page.wait_for_url(re.compile(r"/app/cvs/[0-9a-f-]{36}$"))
        await expect(page.get_by_role("heading", name=words["score"])).to_be_visible()
        suggestion = page.locator("[data-suggestion]", has=page.locator("[data-evidence]")).first
        evidence = suggestion.locator("[data-evidence]")
        await expect(evidence).to_be_hidden()
        await suggestion.locator("summary").click()
        await expect(evidence).to_be_visible()
        assert (await evidence.inner_text()).strip() in quoted
        match = page.locator("section", has=page.locator("#match-h"))
        if with_job:
            await expect(match.locator(".chip")).not_to_have_count(0)
        else:
            await expect(match).to_have_count(0)
        await check_page(page, axe, f"{tag}-06-analysis", timings)

        await page.goto("/app")
        await expect(page.locator("[data-cv-link]")).to_have_count(1)
        await check_page(page, axe, f"{tag}-07-dashboard-with-cv", timings)

        await _open(page, "/app/coach", axe, f"{tag}-08-coach", timings)
        await expect(page.get_by_role("heading", level=1)).to_have_text(words["coach"])
        await page.locator("form[action='/app/coach'] button[type=submit]").click()
        await page.wait_for_url(re.compile(r"/app/coach/[0-9a-f-]{36}$"))
        await check_page(page, axe, f"{tag}-09-coach-session", timings)
        question = "como melhoro meu currículo?" if locale == "pt-BR" else "how do I improve my CV?"
        await page.locator("textarea[name=text]").fill(question)
        await page.evaluate("window.__same_document = true")
        await page.locator("[data-coach-form] button[type=submit]").click()
        done = page.locator(".msg.assistant[data-done='completed']")
        await expect(done).to_have_count(1, timeout=60_000)
        assert len((await done.locator(".text").inner_text()).strip()) > 20
        # The reply was drawn as it streamed, not only once it was complete.
        assert int(await done.get_attribute("data-deltas") or 0) >= 1
        assert await page.evaluate("window.__same_document === true")
        helpful = done.locator("form[data-rating] button[value='up']")
        await helpful.click()
        await expect(helpful).to_have_attribute("aria-pressed", "true")
        await check_page(page, axe, f"{tag}-10-coach-replied")
        # The rating was saved: the page drawn afresh shows it.
        await page.reload()
        await expect(
            page.locator(".msg.assistant form[data-rating] button[value='up']")
        ).to_have_attribute("aria-pressed", "true")

        await _open(page, "/app/billing", axe, f"{tag}-11-billing", timings)
        await _open(page, "/app/notifications", axe, f"{tag}-12-notifications", timings)
        await _open(page, "/app/account", axe, f"{tag}-13-account", timings)

        await page.locator("form[action='/app/account/export'] button").click()
        download = page.locator("[data-export-download]")
        await expect(download).to_be_visible(timeout=60_000)
        archive = await page.request.get(await download.get_attribute("href") or "")
        assert archive.status == 200
        assert (await archive.body()).startswith(b"PK")
        await check_page(page, axe, f"{tag}-14-account-exported")

        await page.locator("#delete_password").fill(PASSWORD)
        await page.locator("form[action='/app/account/delete'] button").click()
        await page.wait_for_url("**/?deleted=1")
        await expect(page.get_by_role("status")).to_be_visible()
        await check_page(page, axe, f"{tag}-15-deleted", timings)
        cookies = {c["name"] for c in await context.cookies()}
        assert "recoloca_session" not in cookies
        await page.goto("/app")
        await page.wait_for_url("**/login?next=/app")
        await check_page(page, axe, f"{tag}-16-login", timings)
    finally:
        await context.close()
