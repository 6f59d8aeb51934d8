"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Never `playwright install` (it downloads a browser): the launch arguments point at
/usr/bin/chromium and turn off everything that would reach the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _allow_orm_beside_playwright() -> None:
    """Playwright's sync API runs an event loop in the test thread until the session ends;
    the ORM calls made meanwhile (the tests' own, the test database's teardown) are still
    synchronous and safe. Browser tests run last, so the rest of the suite keeps the guard."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(tryfirst=True)  # mark before `-m browser` selects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser/ `browser` and run it after the rest."""
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    items[:] = [item for item in items if item not in browser_items] + browser_items
    if browser_items and not CHROMIUM.exists() and os.environ.get("REQUIRE_BROWSER"):
        pytest.exit(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing.", returncode=1)
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(
                pytest.mark.skip(reason=f"{CHROMIUM} missing: apt-get install chromium")
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _browser_db(migrated_db: None) -> None:
    """Every browser test starts from the migrated database (see tests/conftest.py)."""
