"""Security as the browser sees it: cookie flags, a cross-site form, hostile text in a
file name and a coach message, the client-side file check, and the language switch."""

from __future__ import annotations

import re
import uuid

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, Request, expect

from tests.browser.conftest import DESKTOP, PHONE, check_page, new_context, sign_up
from tests.support.api import PASSWORD
from tests.support.documents import image_only_pdf
from tests.support.system import RunningSystem

# Browsers percent-encode quotes in a multipart file name: this one needs none.
_XSS = "<img src=x onerror=window.__xss=1>"


async def _signed_in(
    browser: Browser, system: RunningSystem, locale: str = "en", email: str | None = None
) -> tuple[BrowserContext, Page]:
    context = await new_context(browser, system.base_url, locale, DESKTOP)
    page = await context.new_page()
    await sign_up(page, email)
    return context, page


async def test_the_session_cookie_is_http_only_and_lax(browser: Browser, system: RunningSystem):
    context, page = await _signed_in(browser, system)
    try:
        cookies = {c["name"]: c for c in await context.cookies()}
        session = cookies["recoloca_session"]
        assert session["httpOnly"] is True
        assert session["sameSite"] == "Lax"
        assert session["path"] == "/"
        # Scripts cannot read it.
        assert "recoloca_session" not in await page.evaluate("document.cookie")
    finally:
        await context.close()


async def test_a_form_on_another_site_cannot_act_for_the_user(
    browser: Browser, system: RunningSystem
):
    context, page = await _signed_in(browser, system)
    try:
        evil = "http://evil.example/"
        attack = f"""<!doctype html><title>win a prize</title>
        <form method="post" action="{system.base_url}/app/coach">
        <input name="mode" value="career"><button>go</button></form>"""
        await context.route(
            evil, lambda route: route.fulfill(status=200, content_type="text/html", body=attack)
        )
        await page.goto(evil)
        async with page.expect_navigation():
            await page.locator("button").click()
        # Refused: either no cookie went (SameSite) or the CSRF check stopped it.
        assert "/app/coach/" not in page.url
        await page.goto(f"{system.base_url}/app/coach")
        await expect(page.locator("a[href^='/app/coach/']")).to_have_count(0)
    finally:
        await context.close()


async def test_hostile_text_in_a_file_name_and_a_message_renders_as_text(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context, page = await _signed_in(browser, system)
    try:
        await page.goto("/app/upload")
        await page.locator('input[type="file"]').set_input_files(
            {
                "name": f"{_XSS}.txt",
                "mimeType": "text/plain",
                "buffer": "Ana Souza\nana@example.com\nExperiência\nDesenvolvedora Python\n".encode(),
            }
        )
        await page.locator("[data-upload] button[type=submit]").click()
        await expect(page.locator("[data-progress]")).to_be_visible()
        await page.goto("/app")
        link = page.locator("[data-cv-link]")
        await expect(link).to_have_text(f"{_XSS}.txt")
        await link.click()
        await expect(page.locator("h1 .filename")).to_have_text(f"{_XSS}.txt")
        await check_page(page, axe, "security-xss-cv")

        await page.goto("/app/coach")
        await page.locator("form[action='/app/coach'] button[type=submit]").click()
        await page.wait_for_url(re.compile(r"/app/coach/[0-9a-f-]{36}$"))
        await page.locator("textarea[name=text]").fill(_XSS)
        await page.locator("[data-coach-form] button[type=submit]").click()
        await expect(page.locator(".msg.user .text")).to_have_text(_XSS)
        await page.reload()
        await expect(page.locator(".msg.user .text")).to_have_text(_XSS)
        assert await page.locator("img[src='x']").count() == 0
        assert await page.evaluate("window.__xss") is None
    finally:
        await context.close()


async def test_the_upload_form_refuses_what_the_server_would_before_sending(
    browser: Browser, system: RunningSystem
):
    context, page = await _signed_in(browser, system, "pt-BR")
    try:
        await page.goto("/app/upload")
        sent: list[str] = []

        def record(request: Request) -> None:
            if request.method == "POST":
                sent.append(request.url)

        page.on("request", record)
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        await page.locator('input[type="file"]').set_input_files(
            {"name": "foto.pdf", "mimeType": "application/pdf", "buffer": png}
        )
        error = page.locator("[data-file-error]")
        await expect(error).to_have_text("Use um PDF, DOCX, ODT, RTF ou TXT.")
        await page.locator('input[type="file"]').set_input_files(
            {"name": "vazio.txt", "mimeType": "text/plain", "buffer": b""}
        )
        await expect(error).to_have_text("O arquivo está vazio.")
        await page.locator("[data-upload] button[type=submit]").click()
        await expect(error).to_be_visible()
        assert sent == []
    finally:
        await context.close()


async def test_the_language_switch_is_remembered_in_the_profile(
    browser: Browser, system: RunningSystem
):
    email = f"web-{uuid.uuid4().hex[:12]}@example.com"
    context, page = await _signed_in(browser, system, "pt-BR", email)
    try:
        await expect(page.get_by_role("heading", level=1)).to_have_text("Seu painel")
        await page.get_by_role("button", name="EN").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
        await page.goto("/app/account")
        await expect(page.locator("#locale")).to_have_value("en")
    finally:
        await context.close()
    # Another device, whose browser prefers Portuguese, follows the profile once signed in.
    phone = await new_context(browser, system.base_url, "pt-BR", PHONE)
    try:
        other = await phone.new_page()
        await other.goto("/login")
        await expect(other.get_by_role("heading", level=1)).to_have_text("Entrar")
        await other.locator("#email").fill(email)
        await other.locator("#password").fill(PASSWORD)
        await other.locator("form[action='/login'] button").click()
        await other.wait_for_url("**/app")
        await expect(other.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    finally:
        await phone.close()


async def test_a_scanned_cv_fails_live_with_the_reason_in_the_page_language(
    browser: Browser, system: RunningSystem, axe: Axe
):
    context, page = await _signed_in(browser, system, "pt-BR")
    try:
        await page.goto("/app/upload")
        await page.evaluate("window.__same_document = true")
        await page.locator('input[type="file"]').set_input_files(
            {"name": "digitalizado.pdf", "mimeType": "application/pdf", "buffer": image_only_pdf()}
        )
        await page.locator("[data-upload] button[type=submit]").click()
        reason = page.locator("[data-result] [data-failure-code='no_extractable_text']")
        await expect(reason).to_contain_text("arquivo escaneado", timeout=60_000)
        assert await page.evaluate("window.__same_document === true"), "the page reloaded"
        await check_page(page, axe, "security-scanned-cv-failed")
    finally:
        await context.close()
