"""The job seeker's journey in real Chromium against a running ``make run``, in
Portuguese and again in English, with how long each page takes to be interactive.

    make run &                      # wait for http://127.0.0.1:8000/readyz
    make bench-web                  # or: python -m bench.web_journey [--base-url URL]

For each language: sign up → upload a two-column PDF CV (from the test corpus renderer)
→ the score appears live on the upload page, without a reload → open the full analysis
and a suggestion's evidence → ask the coach how to improve the CV and watch the reply
stream in → export the data → delete the account. Every page is screenshotted under
``test-artefacts/web-journey`` and checked for CSP violations and serious or critical
accessibility violations (axe).

Upgrading through Stripe Checkout runs against the suite's fake Stripe
(``tests/support/fake_stripe.py``), which this script starts on the port the server was
told about. Start the server with it, and give the script the same webhook secret:

    RECOLOCA_STRIPE_API_KEY=sk_test_fake \
    RECOLOCA_STRIPE_API_BASE=http://127.0.0.1:12111 \
    RECOLOCA_STRIPE_WEBHOOK_SECRET=whsec_bench \
    RECOLOCA_STRIPE_PRICE_PRO_MONTHLY=price_pro_monthly_test \
    RECOLOCA_STRIPE_PRICE_PRO_YEARLY=price_pro_yearly_test make run &
    RECOLOCA_STRIPE_API_BASE=http://127.0.0.1:12111 \
    RECOLOCA_STRIPE_WEBHOOK_SECRET=whsec_bench make bench-web

The plan page's upgrade button goes to Checkout (the fake's hosted page is answered by
the browser itself), then the script posts the subscription's first signed webhooks as
Stripe would and waits for the plan page to say Pro. Without those two variables, or
when the server offers no payments, the script skips the upgrade and says so.

Reports p50/p95 of DOMContentLoaded per page over the run and the bytes the first page
(the landing page) loads. Exits non-zero at the first step that misbehaves, naming it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, Response, Route, async_playwright, expect

from tests.support import stripe_objects as so
from tests.support.billing import post_event, subscription_life
from tests.support.browser import (
    DESKTOP,
    Timings,
    check_page,
    chromium_path,
    launch,
    new_context,
    percentile,
    two_column_pdf,
)
from tests.support.fake_stripe import FakeStripe, running_fake_stripe

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts" / "web-journey"
PASSWORD = "uma senha longa e boa"
QUESTIONS = {"pt-BR": "como posso melhorar meu currículo?", "en": "how do I improve my CV?"}
SIGNUP = {"pt-BR": "Criar conta", "en": "Create account"}
SCORE = {"pt-BR": "Nota ATS", "en": "ATS score"}
PLAN = {"pt-BR": ("Grátis", "Pro"), "en": ("Free", "Pro")}
_CHECKOUT_PAGE = "<!doctype html><html lang=en><title>Checkout</title><h1>Fake Checkout</h1>"


@dataclass
class Stripe:
    """The fake Stripe the server calls, and the secret its webhooks are signed with."""

    fake: FakeStripe
    webhook_secret: str


@contextmanager
def fake_stripe() -> Iterator[Stripe | None]:
    base = os.environ.get("RECOLOCA_STRIPE_API_BASE", "")
    secret = os.environ.get("RECOLOCA_STRIPE_WEBHOOK_SECRET", "")
    place = urlsplit(base)
    if not secret or place.hostname != "127.0.0.1" or place.port is None:
        yield None
        return
    with running_fake_stripe(port=place.port) as fake:
        yield Stripe(fake, secret)


class StepFailed(Exception):
    pass


async def _step(name: str, action: Callable[[], Awaitable[None]]) -> None:
    started = time.perf_counter()
    try:
        await action()
    # Any failure ends the run, named by its step.
    except Exception as exc:
        raise StepFailed(f"{name}: {type(exc).__name__}: {exc}") from exc
    print(f"  ok  {name} ({(time.perf_counter() - started) * 1000:.0f} ms)", flush=True)


async def journey(
    browser: Browser,
    axe: Axe,
    base_url: str,
    locale: str,
    timings: Timings,
    stripe: Stripe | None,
) -> None:
    print(f"[{locale}]", flush=True)
    shots = ARTEFACTS / locale
    context = await new_context(browser, base_url, locale, DESKTOP)
    page: Page = await context.new_page()
    folder = Path(tempfile.mkdtemp(prefix="web-journey-"))
    quoted: list[str] = []

    async def check(name: str, timed: bool = True) -> None:
        await check_page(page, axe, name, timings if timed else None, artefacts=shots)

    async def landing() -> None:
        loaded: list[Response] = []

        def record(response: Response) -> None:
            loaded.append(response)

        page.on("response", record)
        await page.goto("/")
        await page.wait_for_load_state("networkidle")
        page.remove_listener("response", record)
        if not timings.first_page:
            for response in loaded:
                timings.first_page[response.url] = len(await response.body())
        await expect(page.locator("html")).to_have_attribute("lang", locale)
        await check("01-landing")

    async def sign_up() -> None:
        await page.goto("/signup")
        await check("02-signup")
        await page.get_by_label(re.compile("E-mail|Email")).fill(
            f"journey-{uuid.uuid4().hex[:12]}@example.com"
        )
        await page.get_by_label(re.compile("^(Senha|Password)$")).fill(PASSWORD)
        await page.get_by_role("button", name=SIGNUP[locale]).click()
        await page.wait_for_url("**/app")
        await check("03-dashboard")

    async def upload() -> None:
        await page.goto("/app/upload")
        await check("04-upload")
        await page.evaluate("window.__same_document = true")
        pdf, found = two_column_pdf(locale[:2], folder)
        quoted.extend(found)
        await page.locator('input[type="file"]').set_input_files(str(pdf))
        await page.locator("[data-upload] button[type=submit]").click()

    async def live_score() -> None:
        score = page.locator("[data-result] [data-score]")
        await expect(score).to_have_text(re.compile(r"^\d{1,3}$"), timeout=90_000)
        assert await page.evaluate("window.__same_document === true"), "the page reloaded"
        await check("05-upload-scored", timed=False)

    async def evidence() -> None:
        await page.locator("[data-full-analysis]").click()
        await page.wait_for_url(re.compile(r"/app/cvs/[0-9a-f-]{36}$"))
        await expect(page.get_by_role("heading", name=SCORE[locale])).to_be_visible()
        suggestion = page.locator("[data-suggestion]", has=page.locator("[data-evidence]")).first
        quote = suggestion.locator("[data-evidence]")
        await suggestion.locator("summary").click()
        await expect(quote).to_be_visible()
        shown = (await quote.inner_text()).strip()
        assert shown in quoted, f"the evidence {shown!r} is not a line of the CV"
        await check("06-analysis")

    async def coach() -> None:
        await page.goto("/app/coach")
        await check("07-coach")
        await page.locator("form[action='/app/coach'] button[type=submit]").click()
        await page.wait_for_url(re.compile(r"/app/coach/[0-9a-f-]{36}$"))
        await check("08-coach-session")
        await page.locator("textarea[name=text]").fill(QUESTIONS[locale])
        await page.evaluate("window.__same_document = true")
        await page.locator("[data-coach-form] button[type=submit]").click()
        done = page.locator(".msg.assistant[data-done='completed']")
        await expect(done).to_have_count(1, timeout=90_000)
        assert len((await done.locator(".text").inner_text()).strip()) > 20, "a reply too short"
        deltas = int(await done.get_attribute("data-deltas") or 0)
        assert deltas >= 1, "the reply was not drawn as it streamed"
        assert await page.evaluate("window.__same_document === true"), "the page reloaded"
        await check("09-coach-replied", timed=False)

    async def billing() -> None:
        await page.goto("/app/billing")
        free, pro = PLAN[locale]
        await expect(page.locator("[data-plan]")).to_have_text(free)
        await check("10-billing")
        offered = await page.locator("[data-upgrade]").count() > 0
        if stripe is None or not offered:
            why = "the server offers no payments" if not offered else "no fake Stripe to use"
            print(f"  --  upgrade through Stripe Checkout skipped: {why} (see the docstring)")
            return
        user_id = uuid.UUID((await (await page.request.get("/v1/me")).json())["id"])

        async def checkout(route: Route) -> None:
            await route.fulfill(status=200, content_type="text/html", body=_CHECKOUT_PAGE)

        await context.route("https://checkout.stripe.test/**", checkout)
        await page.locator("[data-upgrade]").click()
        await page.wait_for_url("https://checkout.stripe.test/**")
        sessions = stripe.fake.checkout_sessions.values()
        assert any(s["client_reference_id"] == str(user_id) for s in sessions), "no session"
        # What Stripe does once the card is accepted: the customer, the subscription, and
        # the signed webhooks of checkout completed → subscription created → invoice paid.
        life = subscription_life(user_id)
        stripe.fake.put_customer(so.customer(life.customer_id))
        stripe.fake.put_subscription(life.events[1]["data"]["object"])
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
            for event in life.events[:3]:
                answer = await post_event(client, event, stripe.webhook_secret)
                assert answer.status_code == 200, f"webhook answered {answer.status_code}"
        deadline = time.monotonic() + 30
        while True:
            await page.goto(f"{base_url}/app/billing")
            if (await page.locator("[data-plan]").inner_text()).strip() == pro:
                break
            assert time.monotonic() < deadline, "the plan did not change to Pro in 30 s"
            await asyncio.sleep(0.5)
        await check("10-billing-pro", timed=False)

    async def export() -> None:
        await page.goto("/app/account")
        await check("11-account")
        await page.locator("form[action='/app/account/export'] button").click()
        download = page.locator("[data-export-download]")
        await expect(download).to_be_visible(timeout=90_000)
        archive = await page.request.get(await download.get_attribute("href") or "")
        assert archive.status == 200, f"the export answered {archive.status}"
        assert (await archive.body()).startswith(b"PK"), "the export is not a zip"
        await check("12-account-exported", timed=False)

    async def delete() -> None:
        await page.locator("#delete_password").fill(PASSWORD)
        await page.locator("form[action='/app/account/delete'] button").click()
        await page.wait_for_url("**/?deleted=1")
        await check("13-deleted")
        cookies = {c["name"] for c in await context.cookies()}
        assert "recoloca_session" not in cookies, "the session cookie outlived the account"
        await page.goto("/app")
        await page.wait_for_url("**/login?next=/app")

    try:
        await _step("landing", landing)
        await _step("sign up", sign_up)
        await _step("upload a two-column PDF", upload)
        await _step("score appears live", live_score)
        await _step("a suggestion's evidence", evidence)
        await _step("coach reply streams in", coach)
        await _step("plan page, upgrade through Checkout", billing)
        await _step("export my data", export)
        await _step("delete my account", delete)
    finally:
        await context.close()


async def main(base_url: str) -> int:
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            ready = await client.get(f"{base_url}/readyz")
    except httpx.HTTPError as exc:
        print(f"{base_url} does not answer ({exc}): start make run first")
        return 2
    if ready.status_code != 200:
        print(f"{base_url} is not ready ({ready.status_code}): start make run first")
        return 2
    if not chromium_path().exists():
        print(f"Chromium is not installed at {chromium_path()}")
        return 2
    timings = Timings()
    axe = Axe()
    started = time.perf_counter()
    with fake_stripe() as stripe:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            try:
                for locale in ("pt-BR", "en"):
                    await journey(browser, axe, base_url, locale, timings, stripe)
            except StepFailed as exc:
                print(f"FAILED at {exc}")
                return 1
            finally:
                await browser.close()
    every = timings.every()
    print(f"\nboth journeys in {time.perf_counter() - started:.1f} s; screenshots in {ARTEFACTS}")
    print(
        f"pages interactive (DOMContentLoaded): n={len(every)} "
        f"p50={percentile(every, 0.5):.0f} ms p95={percentile(every, 0.95):.0f} ms "
        f"max={every[-1]:.0f} ms"
    )
    for name, values in sorted(timings.samples.items()):
        print(f"  {name:<24} " + " ".join(f"{v:.0f}" for v in values) + " ms")
    total = sum(timings.first_page.values())
    print(f"first page: {len(timings.first_page)} files, {total} bytes ({total / 1024:.1f} KiB)")
    for url, size in sorted(timings.first_page.items(), key=lambda item: -item[1]):
        print(f"  {size:>7} {url.removeprefix(base_url)}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.base_url.rstrip("/"))))
