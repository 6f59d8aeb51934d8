"""The registrar's dashboard, exports, imports and seats pages pass axe (our panels and
forms); a registrar gives a seat and moves it in a real browser."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from courses import selectors
from courses.models import Course, Enrollment
from learners.models import License
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
    course = Course.objects.get(code="DN-1")
    license = License.objects.get(learner__email="noah.kim@example.com")
    for path in (
        "/admin/exports/", "/admin/imports/", f"/admin/courses/{course.pk}/changes/",
        f"/admin/licenses/{license.pk}/review/", "/admin/snippets/courses/enrollment/",
    ):  # fmt: skip
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_a_registrar_gives_a_seat_then_moves_it(live_server, page: Page):
    call_command("seed_demo", stdout=io.StringIO())
    later, latest = list(selectors.offerings_upcoming().filter(first_day__gt=dt.date.today()))[-2:]
    _as_registrar(page, live_server.url)

    page.goto(f"{live_server.url}/admin/offerings/{later.pk}/seats/")
    # Maya finished DN-1 last year, so a new DN-1 seat is hers to take (Sam holds one).
    page.get_by_label("Learner's email").fill("maya.cruz@example.com")
    page.get_by_label("Complimentary seat: confirmed without payment").check()
    page.get_by_label("Reason").fill("Scholarship")
    page.get_by_role("button", name="Add the learner").click()
    expect(page.get_by_text("maya.cruz@example.com: Confirmed.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Maya Cruz").click()
    expect(page.get_by_text("Complimentary seat: Scholarship")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Move to").select_option(label=f"{latest} · $895")
    page.get_by_label("Reason").fill("Prefers the later date")
    page.get_by_role("button", name="Move the seat").click()
    expect(page.get_by_text(f"Moved to {latest}.")).to_be_visible()
    assert Enrollment.objects.get(
        offering=latest, learner__email="maya.cruz@example.com"
    ).status == ("confirmed")
