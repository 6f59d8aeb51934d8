"""The pathway planner in Chromium (issue 18 §1): the demo's Ana (Maryland and Virginia PT
licenses, DN-1 on record) finds her plan from the self-check and holds its seats; a visitor
plans on the calculator. axe clean, and no sideways scrolling, at phone and desktop widths."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from courses.models import Enrollment
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
SHOTS = os.environ.get("PLAN_SCREENSHOTS")  # a folder: keep screenshots to look at


@pytest.fixture
def demo(live_server) -> str:
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def _fits(page: Page, name: str) -> None:
    """No sideways scrolling at this width, axe clean; a screenshot when asked for."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_ana_plans_maryland_from_the_self_check_and_holds_the_seats(demo, page: Page, size):
    page.set_viewport_size(size)
    page.goto(f"{demo}/accounts/login/?next=/me/eligibility/")
    page.get_by_label("Email:").fill("ana.reyes@example.com")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("link", name="What to book, and by when: my plan for Maryland").click()

    expect(page.get_by_role("heading", name="My plan", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Maryland")).to_be_checked()
    plan = page.locator("article.plan").first
    expect(plan.get_by_role("heading", level=3)).to_contain_text("eligible on")
    expect(plan).to_contain_text("Eligible in Maryland (PT)")
    expect(plan).to_contain_text("Book 2 courses for $1,790.")
    _fits(page, f"my-plan-{size['width']}")

    page.get_by_role("checkbox", name="Virginia", exact=True).check()
    page.get_by_role("checkbox", name="Nevada", exact=True).check()
    page.get_by_role("button", name="Plan my courses").click()
    expect(
        page.get_by_role("heading", name="What no upcoming offering can get you")
    ).to_be_visible()
    expect(page.locator("article.plan").first).to_contain_text("Eligible in Virginia (PT)")
    _fits(page, f"my-plan-three-states-{size['width']}")

    page.locator("article.plan").first.get_by_role(
        "button", name=re.compile("Hold these seats")
    ).click()
    expect(page).to_have_url(re.compile(r"/me/enrollments/\d+/checkout/$"))
    held = Enrollment.objects.get(learner__email="ana.reyes@example.com", status="held")
    assert held.offering.course.code == "DN-1"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_plans_on_the_calculator(demo, page: Page, size):
    page.set_viewport_size(size)
    page.goto(f"{demo}/calculator/")
    page.get_by_label("Profession").select_option("PT")
    page.get_by_label("None yet").check()
    page.get_by_label("License issued (optional)").fill("2019-05-01")
    page.get_by_role("checkbox", name="Virginia", exact=True).check()
    page.get_by_role("checkbox", name="Nevada", exact=True).check()
    page.get_by_role("button", name="Check every state").click()

    plan = page.locator("article.plan").first
    expect(plan).to_contain_text("Eligible in Virginia (PT)")
    expect(plan.get_by_role("link", name="Sign in to hold these seats")).to_be_visible()
    expect(page.get_by_text("Nevada")).not_to_have_count(0)
    _fits(page, f"calculator-plan-{size['width']}")
