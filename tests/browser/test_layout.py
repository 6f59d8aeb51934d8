"""Pages fit the screen they are read on (issue 16, layout): nothing scrolls sideways on a
390px phone (state guides with long source links, the calculator's results) nor on a 320px one
(the calculator's own hours scroll in their box), and a signed-in
person's header holds on one line at 1366px. axe on the pages measured."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SIDEWAYS = "document.documentElement.scrollWidth - innerWidth"
# Each header item's top and bottom: on one line, every item overlaps every other vertically.
HEADER_BOXES = """[...document.querySelectorAll('.site-header .brand, .site-nav__list > li')]
    .map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })"""


@pytest.fixture
def demo(live_server) -> str:
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def test_it_fits_a_phone_without_scrolling_sideways(demo: str, page: Page):
    page.set_viewport_size(PHONE)

    for path in ("/", "/offerings/", "/states/", "/states/virginia/", "/states/new-jersey/",
                 "/calculator/", "/calculator/?profession=PT&hours_from=both"):  # fmt: skip
        page.goto(demo + path)
        assert page.evaluate(SIDEWAYS) <= 0, path

    results = page.locator("#results").bounding_box()
    assert results["x"] + results["width"] <= PHONE["width"]  # the whole table, not clipped
    # Narrower still, the table scrolls in a box a keyboard can reach (and scroll) too.
    results_box = page.locator("div.table-scroll[role=region]:has(#results)")
    expect(results_box).to_have_attribute("tabindex", "0")
    assert_accessible(page)
    page.goto(demo + "/states/new-jersey/")
    assert_accessible(page)


def test_the_calculators_own_hours_scroll_in_their_box_on_the_narrowest_phone(
    demo: str, page: Page
):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(demo + "/calculator/")

    assert page.evaluate(SIDEWAYS) <= 0
    hours = page.locator(".hours-rows div.table-scroll[role=region]")
    expect(hours).to_have_attribute("tabindex", "0")
    box = hours.bounding_box()
    assert box["x"] + box["width"] <= 320


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("email", ["learner@example.com", "instructor@example.com"])
def test_a_signed_in_header_holds_on_one_line_at_1366px(demo: str, page: Page, email: str):
    page.set_viewport_size(LAPTOP)
    _sign_in(page, demo, email)

    boxes = page.evaluate(HEADER_BOXES)

    assert max(top for top, _ in boxes) < min(bottom for _, bottom in boxes), boxes
    assert page.evaluate(SIDEWAYS) <= 0
    assert_accessible(page)
