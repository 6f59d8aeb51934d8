"""The demo registrar verifies Noah's license; his certificate appears, downloads, and its
verification page says valid. axe on the certificate, verification and directory pages."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from learners.models import License
from tests.browser.axe import assert_accessible
from tests.conftest import SignedInClient

pytestmark = pytest.mark.django_db(transaction=True)


def _as_registrar(page: Page, base: str) -> None:
    """The registrar's session, made server-side: their two-factor login is tested elsewhere."""
    client = SignedInClient()
    client.force_login(User.objects.get(email="registrar@example.com"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_a_verified_license_brings_the_certificate_and_anyone_can_verify_it(
    live_server, page: Page
):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    license = License.objects.get(learner__email="noah.kim@example.com")

    _as_registrar(page, base)
    page.goto(f"{base}/admin/licenses/{license.pk}/review/")
    page.get_by_label("Verified").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next=/me/")
    page.get_by_label("Email:").fill("noah.kim@example.com")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Certification in Dry Needling, CDN-").click()
    expect(page.get_by_role("heading", name="Certification in Dry Needling")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf = PdfReader(download.value.path())
    assert "Noah Kim" in pdf.pages[0].extract_text()

    page.get_by_role("link", name="/verify/").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("Valid.")
    expect(page.get_by_text("Noah Kim")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/directory/")
    expect(page.get_by_role("heading", name="Find a certified practitioner")).to_be_visible()
    assert_accessible(page)
