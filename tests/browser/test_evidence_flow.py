"""A demo learner licensed in Virginia (a state whose rule sets hours) prepares his evidence
from the self-check, downloads the PDF, and the public verification page says it is current;
at desktop and phone widths, axe on each page."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.demo import DEMO_PASSWORD
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to look at the pages afterwards


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_a_learner_prepares_his_evidence_and_anyone_can_check_it(
    live_server, page: Page, width: int, height: int
):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base}/accounts/login/?next=/me/eligibility/")
    page.get_by_label("Email:").fill("noah.kim@example.com")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    virginia = page.locator("#state-VA")
    expect(virginia).to_contain_text("Post-professional dry-needling training")
    _shot(page, f"self-check-{width}")
    virginia.get_by_role("button", name="Prepare my evidence for Virginia").click()

    expect(page.get_by_role("heading", name="Your evidence for Virginia")).to_be_visible()
    expect(page.get_by_test_id("standing")).to_contain_text("Current.")
    assert_accessible(page)
    _shot(page, f"evidence-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the evidence (PDF)").click()
    text = " ".join(PdfReader(download.value.path()).pages[0].extract_text().split())
    assert "Dry-needling training evidence: Virginia" in text and "Noah Kim" in text
    assert "not yet verified by the registrar" in text  # his license awaits the registrar

    page.get_by_role("link", name="/evidence/").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("Current.")
    expect(page.get_by_text("Noah Kim")).to_be_visible()
    assert_accessible(page)
    _shot(page, f"verify-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
