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


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup: None, django_db_blocker) -> str:
    """The database as the migrations left it (roles, professions, Wagtail's page tree),
    captured before the first browser test changes anything."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_data(_migrated_data: str, transactional_db: None) -> None:
    """Live-server tests flush the database after each test; put the migrations' data
    back first. Django's serialized_rollback cannot be relied on here: under Playwright's
    running event loop the test gets a different connection object than the one the test
    database was serialized on, and the restore is silently skipped."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    # Empty first: the previous test's teardown flush re-created content types and
    # permissions under new ids.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_migrated_data)
    # Rows came back with their ids: move PostgreSQL's sequences past them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
