"""axe-core (bundled in axe-playwright-python) on the page as it stands: no violations."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RUNNING = "() => document.getAnimations().some(a => a.playState === 'running')"


def assert_accessible(page: Page) -> None:
    # Colours are measured as rendered: let transitions (the admin's messages fading in)
    # finish first, or axe reads a half-blended colour. Polled from here, not with
    # wait_for_function, which our Content Security Policy (no eval) refuses.
    for _ in range(40):
        if not page.evaluate(RUNNING):
            break
        page.wait_for_timeout(50)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
