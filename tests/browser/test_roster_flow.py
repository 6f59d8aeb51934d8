"""The demo instructor records yesterday's class and signs it off; the demo learner's
progress bar moves. axe on the roster, the dashboard and the outside-training page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from learners.models import HoursEntry
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_an_instructor_signs_off_a_day_and_the_learners_progress_moves(live_server, page: Page):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    _sign_in(page, base, "learner@example.com", "/me/")
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_test_id("cert-hours")).to_have_text("0 of 54 hours")
    assert_accessible(page)
    page.get_by_role("link", name="Outside training").click()
    expect(page.get_by_role("heading", name="Outside training", level=1)).to_be_visible()
    assert_accessible(page)

    _sign_in(page, base, "instructor@example.com", "/teach/")
    page.get_by_role("link", name="DN-1: Dry Needling 1").first.click()
    assert_accessible(page)
    page.locator(".link-list a").first.click()  # yesterday, the first day
    expect(page.get_by_text("Everyone starts as present")).to_be_visible()
    assert_accessible(page)
    tom = page.get_by_role("group", name="Tom Berg")
    tom.get_by_role("radio", name="Partial").check()
    tom.get_by_label("Hours if partial").fill("6.5")
    page.get_by_role("button", name="Save and sign off the day").click()
    expect(page.get_by_text("attendance saved and signed off (2 changed)")).to_be_visible()
    expect(page.get_by_text("Signed off by Ian Mercer")).to_be_visible()
    assert_accessible(page)
    recorded = HoursEntry.objects.filter(
        learner__email__in=["learner@example.com", "tom.berg@example.com"]
    )
    assert sorted(recorded.values_list("learner__email", "hours")) == [
        ("learner@example.com", 9), ("tom.berg@example.com", Decimal("6.5")),
    ]  # fmt: skip

    _sign_in(page, base, "learner@example.com", "/me/")
    expect(page.get_by_test_id("cert-hours")).to_contain_text("9 of 54 hours")
    expect(page.get_by_test_id("total-hours")).to_have_text("9")
    assert float(page.locator("#cert-hours").get_attribute("value")) == 9
