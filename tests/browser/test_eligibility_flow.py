"""A visitor checks every state with the calculator; a learner checks their states. axe on
the calculator, the self-check and a state guide."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server) -> str:
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def test_a_visitor_checks_every_state_with_their_own_hours(demo: str, page: Page):
    page.goto(demo + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="State rules").click()
    assert_accessible(page)
    page.get_by_label("Profession").select_option("PT")
    page.get_by_label("My own hours (enter them below)").check()
    page.get_by_label("Date, row 1").fill("2026-01-10")
    page.get_by_label("Hours, row 1").fill("27")
    page.get_by_label("Date, row 2").fill("2026-02-14")
    page.get_by_label("Hours, row 2").fill("27")
    page.get_by_label("In person, row 2").check()
    page.get_by_role("button", name="Check every state").click()

    expect(
        page.get_by_role("heading", name="Every state for: Physical therapist (PT), as of")
    ).to_be_visible()
    virginia = page.get_by_role("row", name="Virginia ✓")
    expect(virginia).to_contain_text("Eligible")
    expect(page.get_by_role("row", name="California")).to_contain_text("Prohibited")
    expect(page.locator("svg[role=img] g.tile")).to_have_count(51)
    assert_accessible(page)

    page.goto(demo + "/states/virginia/")
    expect(page.get_by_role("heading", name="Dry needling in Virginia")).to_be_visible()
    assert_accessible(page)


def test_a_learner_sees_their_licensed_state_first_and_checks_another(demo: str, page: Page):
    page.goto(f"{demo}/accounts/login/?next=/me/eligibility/")
    page.get_by_label("Email:").fill("maya.cruz@example.com")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    first = page.locator("section.verdict").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Washington")
    assert_accessible(page)
    page.get_by_label("Check another state").select_option("VA")
    page.get_by_role("button", name="Check").click()
    virginia = page.locator("#state-VA")
    expect(virginia).to_contain_text("Eligible")
    expect(virginia.get_by_role("cell", name="54", exact=True).first).to_be_visible()
    assert_accessible(page)
