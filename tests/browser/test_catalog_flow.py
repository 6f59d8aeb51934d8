"""A visitor goes home -> course page -> offering -> .ics download; axe on each page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_finds_a_course_date_and_saves_it_to_their_calendar(live_server, page: Page):
    call_command("seed_demo", stdout=io.StringIO())

    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Courses", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="DN-2: Dry Needling 2").click()
    expect(page.get_by_role("heading", name="Learning objectives")).to_be_visible()
    expect(page.get_by_text("$895").first).to_be_visible()
    assert_accessible(page)

    page.locator(".offering-card a").first.click()
    expect(page.get_by_role("heading", name="Schedule")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    assert all(e.decoded("dtstart") > dt.datetime.now(dt.UTC) for e in events)

    page.goto(live_server.url + "/offerings/")
    page.get_by_label("State").select_option("VA")
    page.get_by_role("button", name="Show offerings").click()
    expect(page.locator(".offering-card").first).to_contain_text("Richmond, VA")
    assert_accessible(page)


def test_on_a_phone_the_main_menu_folds_behind_a_button(live_server, page: Page):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="Menu")
    courses = page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(courses).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(courses).to_be_visible()
    assert_accessible(page)
    courses.click()
    expect(page).to_have_url(live_server.url + "/courses/")

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses")
    ).to_be_visible()
