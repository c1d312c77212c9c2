"""Real Chromium (Debian's package) driven by Playwright, one browser for the session.

Chromium must be installed (``.ci/run`` and ``make test`` install it): a missing browser
fails these tests rather than skipping them. Screenshots go to ``test-artefacts/browser``
(not committed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, async_playwright

from tests.support.browser import (
    ARTEFACTS,
    CHROMIUM,
    DESKTOP,
    PHONE,
    Timings,
    check_page,
    chromium_path,
    launch,
    new_context,
    percentile,
    sign_up,
    two_column_pdf,
)

__all__ = [
    "ARTEFACTS",
    "DESKTOP",
    "PHONE",
    "Timings",
    "check_page",
    "new_context",
    "sign_up",
    "two_column_pdf",
]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not chromium_path().exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


_TIMINGS = Timings()


@pytest.fixture(scope="session")
def timings() -> Timings:
    return _TIMINGS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _TIMINGS.samples and not _TIMINGS.first_page:
        return
    every = _TIMINGS.every()
    pct = percentile

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
