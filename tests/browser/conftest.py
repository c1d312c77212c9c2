"""Real Chromium (Debian's package) driven by Playwright, one browser for the session.

Chromium must be installed (``.ci/run`` and ``make test`` install it): a missing browser
fails these tests rather than skipping them. Screenshots go to ``test-artefacts/browser``
(not committed)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

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


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    path = shutil.which(CHROMIUM) or CHROMIUM
    if not Path(path).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@dataclass
class Timings:
    """How long each page took to be interactive (DOMContentLoaded, module scripts run)."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    # What the first page a visitor opens loads: bytes per URL.
    first_page: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, ms: float) -> None:
        self.samples.setdefault(name, []).append(ms)


_TIMINGS = Timings()


@pytest.fixture(scope="session")
def timings() -> Timings:
    return _TIMINGS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _TIMINGS.samples and not _TIMINGS.first_page:
        return
    every = sorted(ms for values in _TIMINGS.samples.values() for ms in values)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, round(p * (len(values) - 1)))]

    if every:
        terminalreporter.write_line(
            f"pages interactive (DOMContentLoaded): n={len(every)} "
            f"p50={pct(every, 0.5):.0f} ms p95={pct(every, 0.95):.0f} ms"
        )
    if _TIMINGS.first_page:
        total = sum(_TIMINGS.first_page.values())
        terminalreporter.write_line(
            f"first page: {len(_TIMINGS.first_page)} files, {total / 1024:.1f} KiB uncompressed"
        )


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


async def check_page(page: Page, axe: Axe, name: str, timings: Timings | None = None) -> None:
    """Screenshot the page, then require no CSP violation and no serious or critical
    accessibility violation."""
    await page.wait_for_load_state("load")
    if timings is not None:
        ms = await page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? n.domContentLoadedEventEnd - n.startTime : 0; })()"
        )
        timings.add(name, float(ms))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    violations = await page.evaluate("window.__csp")
    assert violations == [], f"CSP violations on {name}: {violations}"
    results = await axe.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {name}: {serious}"
