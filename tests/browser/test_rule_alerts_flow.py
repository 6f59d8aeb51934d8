"""Rule-change alerts in a real browser (issue 18): the registrar raises Virginia's PT minimum
in the admin; Noah (demo learner, Virginia PT license, 54 hours) is told on his dashboard and
by email, on a phone and a laptop, axe clean; the demo learner still short of either minimum
is told nothing."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from certification.models import JurisdictionRule
from learners.models import RuleChangeNotice
from tests.browser.axe import assert_accessible
from tests.browser.test_certificate_flow import _as_registrar

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/me/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


@pytest.mark.parametrize("size", SIZES)
def test_a_registrars_rule_edit_reaches_the_learner_it_moves(live_server, page: Page, size):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    rule = JurisdictionRule.objects.get(jurisdiction="VA", profession__code="PT")
    mail.outbox = []

    _as_registrar(page, base)
    page.goto(f"{base}/admin/snippets/certification/jurisdictionrule/edit/{rule.pk}/")
    page.get_by_label("Min total hours").first.fill("60")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("heading", name="Jurisdiction rules")).to_be_visible()  # saved

    notices = RuleChangeNotice.objects.values_list("learner__email", "old_status", "new_status")
    assert list(notices) == [("noah.kim@example.com", "eligible_if", "not_yet")], list(notices)
    assert [m.to for m in mail.outbox] == [["noah.kim@example.com"]]

    page.context.clear_cookies()
    page.set_viewport_size(SIZES[size])
    _sign_in(page, base, "noah.kim@example.com")
    notices = page.get_by_role("region", name="State rules changed")
    expect(notices).to_contain_text("Virginia")
    expect(notices.get_by_test_id("notice-new-status")).to_have_text("Not yet eligible")
    expect(notices).to_contain_text("hours: 54 → 60.")
    expect(notices).to_contain_text("60 hours required, you have 54: 6 missing.")
    expect(notices.get_by_role("link", name="The Virginia guide")).to_have_attribute(
        "href", "/states/virginia/"
    )
    assert_accessible(page)

    notices.get_by_role("button", name="Dismiss the Virginia notice").click()
    expect(page.get_by_text("Notice dismissed.")).to_be_visible()
    expect(page.get_by_role("region", name="State rules changed")).to_have_count(0)
    assert_accessible(page)

    page.context.clear_cookies()
    _sign_in(page, base, "learner@example.com")  # not yet under 54 hours and under 60
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_role("region", name="State rules changed")).to_have_count(0)
