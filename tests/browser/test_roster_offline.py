"""The roster offline (issue 19), in Chromium with the network switched off: marks survive a
reload, sync once when the network is back (also when the answer was lost and the queue is
sent again), a mark queued before a registrar's sign-off comes back refused with its
reason, and QR check-in works online and offline."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
import qrcode
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import INSTRUCTOR, REGISTRAR
from courses.checkin import checkin_token, day_short_codes
from courses.models import AssessmentResult, Attendance, DaySignOff, Enrollment, RosterSyncMark
from learners.models import HoursEntry, LearnerProfile, Profession
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory, catalog_offering

pytestmark = pytest.mark.django_db(transaction=True)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SYNC = "**/api/v1/roster/sync/"


@pytest.fixture
def klass():
    """A class under way since yesterday (at the venue): three learners, today is day two."""
    instructor = UserFactory(email="ian@example.test", first_name="Ian", last_name="Mercer",
                             roles=[INSTRUCTOR])  # fmt: skip
    today = timezone.localdate(timezone=NEW_YORK)
    offering = catalog_offering(first_day=today - dt.timedelta(days=1), instructors=[instructor],
                                status="closed")  # fmt: skip
    seats = {}
    for first, last in [("Ana", "Alvarez"), ("Ben", "Brooks"), ("Cleo", "Chen")]:
        user = UserFactory(first_name=first, last_name=last)
        LearnerProfile.objects.create(user=user, legal_name=f"{first} {last}",
                                      profession=Profession.objects.get(code="PT"))  # fmt: skip
        seats[first] = Enrollment.objects.create(learner=user, offering=offering,
                                                 status="confirmed")  # fmt: skip
    day = offering.days.get(date=today)
    return instructor, offering, day, seats


def _sign_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _open_day_with_worker(page: Page, base: str, offering, day) -> None:
    """Teaching home installs the worker; the day, opened under it, is kept for offline."""
    _sign_in(page, base, "ian@example.test", "/teach/")
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"{base}/teach/offerings/{offering.pk}/days/{day.pk}/")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    _wait_ready(page)


def _wait_ready(page: Page) -> None:
    """The day page has restored its queued marks onto the cards."""
    expect(page.locator("[data-roster-offline][data-ready]")).to_be_visible()


def _hours(seat, day) -> Decimal:
    entries = HoursEntry.objects.filter(learner_id=seat.learner_id, course_day=day)
    return sum((e.hours for e in entries), Decimal(0))


def _queue(page: Page):
    return page.locator("[data-queue] li")


def test_marks_made_offline_survive_a_reload_and_are_applied_once(live_server, page: Page, klass):
    _instructor, offering, day, seats = klass
    _open_day_with_worker(page, live_server.url, offering, day)

    page.context.set_offline(True)
    page.get_by_role("group", name="Ana Alvarez").get_by_role("radio", name="Partial").check()
    page.get_by_role("group", name="Ana Alvarez").get_by_label("Hours if partial").fill("6.5")
    page.get_by_role("group", name="Ben Brooks").get_by_role("radio", name="Absent").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_label("Learner").select_option(label="Cleo Chen")
    page.get_by_label("Written score (0–100)").fill("88")
    page.get_by_label("Practical").select_option("pass")
    page.get_by_role("button", name="Record assessment").click()
    expect(_queue(page)).to_have_count(4)
    expect(page.get_by_role("button", name="Save and sign off the day")).to_be_disabled()

    page.reload()  # offline: the worker's copy, the marks from IndexedDB
    _wait_ready(page)
    expect(_queue(page)).to_have_count(4)
    expect(_queue(page).filter(has_text="Waiting to sync")).to_have_count(4)
    expect(_queue(page).first).to_contain_text("Ana Alvarez")
    expect(
        page.get_by_role("group", name="Ana Alvarez").get_by_label("Hours if partial")
    ).to_have_value("6.5")
    assert not Attendance.objects.exists() and not AssessmentResult.objects.exists()

    # The first answer is lost on the way back: the server applied the marks, the phone
    # does not know, and sends the same queue again when the network returns.
    sent = []

    def lose_the_answer(route):
        sent.append(route.request.post_data_json)
        route.fetch()
        route.abort()

    page.route(SYNC, lose_the_answer, times=1)
    page.context.set_offline(False)
    expect(page.get_by_text("No network: the marks wait")).to_be_visible()
    expect(_queue(page).filter(has_text="Waiting to sync")).to_have_count(4)
    page.context.set_offline(True)
    page.context.set_offline(False)
    expect(page.get_by_text("Synced: 4 applied")).to_be_visible()
    expect(_queue(page)).to_have_count(0)

    assert [_hours(seats[n], day) for n in ("Ana", "Ben", "Cleo")] == [Decimal("6.5"), 0, 9]
    assert HoursEntry.objects.filter(course_day=day).count() == 2  # Ben's absence is no hours
    assert Attendance.objects.filter(course_day=day).count() == 3
    result = AssessmentResult.objects.get()
    assert (result.enrollment, result.written_score, result.practical_passed) == (
        seats["Cleo"], 88, True,
    )  # fmt: skip
    assert RosterSyncMark.objects.count() == 4 and len(sent[0]["marks"]) == 4
    expect(page.get_by_role("button", name="Save and sign off the day")).to_be_enabled()
    assert_accessible(page)


def test_a_mark_queued_before_a_registrar_signs_off_comes_back_refused(
    live_server, page: Page, klass
):
    _instructor, offering, day, seats = klass
    _open_day_with_worker(page, live_server.url, offering, day)

    page.context.set_offline(True)
    page.get_by_role("button", name="Save attendance").click()
    expect(_queue(page)).to_have_count(3)
    DaySignOff.objects.create(course_day=day, signed_off_by=UserFactory(roles=[REGISTRAR]))
    page.context.set_offline(False)

    expect(page.get_by_text("Synced: 0 applied, 3 refused.")).to_be_visible()
    refused = _queue(page).filter(has_text="Refused: The day was signed off on")
    expect(refused).to_have_count(3)
    assert not Attendance.objects.exists() and not HoursEntry.objects.exists()
    assert_accessible(page)
    refused.first.get_by_role("button", name="Dismiss").click()
    expect(_queue(page)).to_have_count(2)
    page.reload()
    expect(_queue(page)).to_have_count(2)  # refused marks stay until dismissed


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text, border=4, box_size=10).save(buffer)
    return buffer.getvalue()


def test_a_learner_checks_in_by_typed_code_online_and_by_qr_photo_offline(
    live_server, page: Page, klass
):
    _instructor, offering, day, seats = klass
    codes = day_short_codes([s.pk for s in seats.values()], day.date)

    _sign_in(page, live_server.url, seats["Ana"].learner.email, "/me/courses/")
    expect(page.get_by_role("heading", name="Today's class: check in")).to_be_visible()
    expect(page.get_by_test_id("checkin-code")).to_have_text(codes[seats["Ana"].pk])
    assert_accessible(page)

    _open_day_with_worker(page, live_server.url, offering, day)
    page.get_by_label("Short code").fill(codes[seats["Ana"].pk].lower())
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Synced: 1 applied")).to_be_visible()
    assert _hours(seats["Ana"], day) == 9

    page.context.set_offline(True)
    page.get_by_label("Or scan a photo of the code").set_input_files(
        {"name": "code.png", "mimeType": "image/png",
         "buffer": _qr_png(checkin_token(seats["Ben"].pk, day.date))}
    )  # fmt: skip
    expect(page.get_by_text("Ben Brooks checked in.")).to_be_visible()
    expect(_queue(page).filter(has_text="Ben Brooks")).to_contain_text("Waiting to sync")
    page.get_by_label("Short code").fill("ZZZZZZ")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("No seat on this day's roster has that code.")).to_be_visible()
    assert _hours(seats["Ben"], day) == 0

    page.context.set_offline(False)
    expect(page.get_by_text("Synced: 1 applied")).to_be_visible()
    assert _hours(seats["Ben"], day) == 9
    assert _hours(seats["Cleo"], day) == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_the_day_page_reads_well_on_a_phone_and_a_desktop(live_server, page: Page, klass, width):
    _instructor, offering, day, _seats = klass
    page.set_viewport_size({"width": width, "height": 900})
    _open_day_with_worker(page, live_server.url, offering, day)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save attendance").click()
    expect(_queue(page)).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/roster-offline-{width}.png", full_page=True)
    assert_accessible(page)


KEPT = """async (url) => ({
    page: !!(await caches.match(url)),
    marks: (await indexedDB.databases()).some((db) => db.name === "dn-roster"),
    worker: (await navigator.serviceWorker.getRegistrations()).length > 0,
})"""


def test_signing_out_leaves_no_roster_on_a_shared_phone(live_server, page: Page, klass):
    _instructor, offering, day, _seats = klass
    _open_day_with_worker(page, live_server.url, offering, day)
    day_url = page.url
    assert page.evaluate(KEPT, day_url) == {"page": True, "marks": True, "worker": True}

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate(KEPT, day_url) == {"page": False, "marks": False, "worker": False}
    page.context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(day_url)  # nothing on the phone answers for the roster any more


def test_signing_out_with_marks_not_synced_warns_and_lets_the_instructor_sync_or_discard(
    live_server, page: Page, klass
):
    _instructor, offering, day, _seats = klass
    _open_day_with_worker(page, live_server.url, offering, day)
    day_url = page.url
    page.context.set_offline(True)
    page.get_by_role("button", name="Save attendance").click()
    expect(_queue(page)).to_have_count(3)
    page.route(SYNC, lambda route: route.abort())  # online again, but the sync does not get through
    page.context.set_offline(False)

    page.get_by_role("button", name="Sign out").click()
    warning = page.get_by_role("dialog", name="Marks not synced yet")
    expect(warning).to_contain_text("3 marks made on this phone have not reached DN Tracker yet")
    expect(warning.get_by_role("listitem")).to_have_count(3)
    expect(warning.get_by_role("link", name="Open the roster to sync them")).to_have_attribute(
        "href", day_url.removeprefix(live_server.url)
    )
    assert_accessible(page)
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_have_count(0)
    expect(_queue(page)).to_have_count(3)  # nothing lost, still signed in
    assert page.evaluate(KEPT, day_url)["page"]

    page.get_by_role("button", name="Sign out").click()
    warning.get_by_role("button", name="Discard them and sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate(KEPT, day_url) == {"page": False, "marks": False, "worker": False}
    assert not Attendance.objects.exists()


def test_syncing_first_then_signing_out_needs_no_warning(live_server, page: Page, klass):
    _instructor, offering, day, _seats = klass
    _open_day_with_worker(page, live_server.url, offering, day)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save attendance").click()
    expect(_queue(page)).to_have_count(3)
    page.route(SYNC, lambda route: route.abort())
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/teach/")
    page.unroute(SYNC)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Open the roster to sync them").click()
    expect(page.get_by_text("Synced: 3 applied")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert Attendance.objects.filter(course_day=day).count() == 3
