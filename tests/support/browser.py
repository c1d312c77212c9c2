"""Driving Debian's Chromium with Playwright: shared by the browser tests and by
``bench/web_journey.py``, which runs the same journey against a running ``make run``.

Nothing here depends on pytest: a failed check raises ``AssertionError``."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, Playwright

from consumers.parsing.parser import parse_file
from consumers.scoring.analyser import analyse
from tests.corpus.generator import generate
from tests.corpus.render import render
from tests.support.api import PASSWORD

CHROMIUM = os.environ.get("RECOLOCA_TEST_CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Every page records the CSP violations it sees; the init script runs before the page's
# own, so nothing can slip past it.
_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

_CVS = generate(count=12, seed=12)


async def sign_up(page: Page, email: str | None = None) -> str:
    """A new account made through the sign-up page, signed in on ``page``; its email."""
    email = email or f"web-{uuid.uuid4().hex[:12]}@example.com"
    await page.goto("/signup")
    await page.locator("#email").fill(email)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("form[action='/signup'] button").click()
    await page.wait_for_url("**/app")
    return email


def chromium_path() -> Path:
    return Path(shutil.which(CHROMIUM) or CHROMIUM)


async def launch(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(
        executable_path=str(chromium_path()),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


@dataclass
class Timings:
    """How long each page took to be interactive (DOMContentLoaded, module scripts run)."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    # What the first page a visitor opens loads: bytes per URL.
    first_page: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, ms: float) -> None:
        self.samples.setdefault(name, []).append(ms)

    def every(self) -> list[float]:
        return sorted(ms for values in self.samples.values() for ms in values)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def new_context(
    browser: Browser, base_url: str, locale: str, viewport: dict[str, int]
) -> BrowserContext:
    context = await browser.new_context(
        base_url=base_url,
        locale=locale,
        viewport=viewport,  # type: ignore[arg-type]
        extra_http_headers={"Accept-Language": locale},
    )
    await context.add_init_script(_WATCH)
    context.set_default_timeout(20_000)
    return context


async def check_page(
    page: Page,
    axe: Axe,
    name: str,
    timings: Timings | None = None,
    artefacts: Path = ARTEFACTS,
) -> None:
    """Screenshot the page, then require no CSP violation and no serious or critical
    accessibility violation."""
    await page.wait_for_load_state("load")
    if timings is not None:
        ms = await page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? n.domContentLoadedEventEnd - n.startTime : 0; })()"
        )
        timings.add(name, float(ms))
    artefacts.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(artefacts / f"{name}.png"), full_page=True)
    violations = await page.evaluate("window.__csp")
    assert violations == [], f"CSP violations on {name}: {violations}"
    results = await axe.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {name}: {serious}"


def two_column_pdf(lang: str, folder: Path) -> tuple[Path, list[str]]:
    """A two-column PDF CV in ``lang`` with suggestions that quote it, and those quotes
    (from the same offline analysis the scoring worker runs)."""
    for cv in _CVS:
        if cv.lang != lang:
            continue
        data, kind = render(cv, "pdf_two_column")
        quoted = [s.evidence for s in analyse(parse_file(data, kind)).suggestions if s.evidence]
        if quoted:
            path = folder / f"curriculo-{lang}.pdf"
            path.write_bytes(data)
            return path, quoted
    raise AssertionError(f"no {lang} CV of the corpus gets a suggestion with evidence")
