"""My courses in a browser, on a phone and a laptop: each seat shows only what the
learner may do with it (a course under way offers no Cancel or Transfer)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from courses.services.waitlist import waitlist_join
from tests.browser.axe import assert_accessible
from tests.conftest import card_token
from tests.courses.test_enrollment_hold import licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import PASSWORD, catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("localstripe")]


def _paid_seat(learner, offering, now: dt.datetime) -> None:
    held = enrollment_hold(learner=learner, offering_id=offering.pk, now=now)
    payment_start(learner=learner, enrollment_id=held.pk, card_id=card_token(VISA), now=now)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_each_seat_shows_only_what_the_learner_may_do(
    live_server, page: Page, tmp_path: Path, width, height
):
    today, now = dt.date.today(), timezone.now()
    learner = licensed_learner()
    under_way = catalog_offering(first_day=today - dt.timedelta(days=1))
    _paid_seat(learner, under_way, now - dt.timedelta(days=10))
    # One live seat per course: each seat here is in a course of its own.
    upcoming = catalog_offering(venue=catalog_venue("Denver", "CO", "America/Denver"),
                                course=catalog_course("DN-2"),
                                first_day=today + dt.timedelta(days=40))  # fmt: skip
    _paid_seat(learner, upcoming, now)
    enrollment_hold(learner=learner, offering_id=catalog_offering(
        venue=catalog_venue("Austin", "TX", "America/Chicago"), course=catalog_course("DN-3"),
        first_day=today + dt.timedelta(days=50)).pk, now=now)  # fmt: skip
    full = catalog_offering(venue=catalog_venue("Tampa", "FL", "America/New_York"),
                            course=catalog_course("DN-4"),
                            first_day=today + dt.timedelta(days=60), capacity=1)  # fmt: skip
    enrollment_hold(learner=licensed_learner(), offering_id=full.pk, now=now)
    waitlist_join(learner=learner, offering_id=full.pk, now=now)

    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/accounts/login/?next=/me/courses/")
    page.get_by_label("Email:").fill(learner.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="My courses")).to_be_visible()
    rows = page.get_by_role("row")
    started = rows.filter(has_text="Richmond")
    expect(started.get_by_role("link", name="Receipt")).to_be_visible()
    expect(started.get_by_role("link", name="Cancel")).to_have_count(0)
    expect(started.get_by_role("link", name="Transfer")).to_have_count(0)
    later = rows.filter(has_text="Denver")
    expect(later.get_by_role("link", name="Cancel")).to_be_visible()
    expect(later.get_by_role("link", name="Transfer")).to_be_visible()
    expect(later.get_by_role("link", name="Add to calendar")).to_be_visible()
    expect(rows.filter(has_text="Austin").get_by_role("link", name="Pay now")).to_be_visible()
    expect(rows.filter(has_text="Tampa")).to_contain_text("Number 1 in line")
    expect(
        rows.filter(has_text="Tampa").get_by_role("button", name="Leave the waitlist")
    ).to_be_visible()
    page.screenshot(path=tmp_path / f"my-courses-{width}x{height}.png", full_page=True)
    assert_accessible(page)
