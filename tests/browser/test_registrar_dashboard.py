"""The registrar's dashboard, exports and imports pages pass axe (our panels and forms)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.test_certificate_flow import _as_registrar

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_registrar_dashboard_and_operations_pages_are_accessible(live_server, page: Page):
    call_command("seed_demo", stdout=io.StringIO())
    _as_registrar(page, live_server.url)

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Work queues")).to_be_visible()
    expect(page.get_by_role("heading", name="Offerings in the next 90 days")).to_be_visible()
    assert_accessible(page)
    for path in ("/admin/exports/", "/admin/imports/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
