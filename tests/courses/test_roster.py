"""Instructors record a course day for the whole class: ledger entries, sign-off, corrections,
and every refusal (another offering, future day, not confirmed, bad hours)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import override_settings
from pypdf import PdfReader

from courses.models import AssessmentResult, DaySignOff
from learners.models import HoursEntry
from tests.conftest import redis_cache_settings
from tests.courses.roster_helpers import FIRST_DAY, hours_counted, roster_seat
from tests.factories import UserFactory, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _day(offering, n=0):
    return offering.days.order_by("date")[n]


def _url(offering, day):
    return f"/teach/offerings/{offering.pk}/days/{day.pk}/"


def _post(client, offering, day, marks, **extra):
    data = {}
    for enrollment, (mark, hours) in marks.items():
        data[f"mark_{enrollment.pk}"] = mark
        data[f"hours_{enrollment.pk}"] = hours
    return client.post(_url(offering, day), {**data, **extra})


def test_the_roster_lists_confirmed_learners_present_by_default(
    client, instructor, offering, seats, learner
):
    roster_seat(offering, UserFactory(first_name="Wait", last_name="Listed"), status="waitlisted")
    client.force_login(instructor)

    page = client.get(_url(offering, _day(offering))).content.decode()

    assert learner.get_full_name() in page
    assert "Wait Listed" not in page
    assert len(re.findall(r'value="present"[^>]*checked', page)) == 2


def test_saving_writes_ledger_entries_and_saving_again_changes_nothing(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    day = _day(offering)
    marks = {mine: ("present", ""), theirs: ("partial", "6.5")}

    assert _post(client, offering, day, marks).status_code == 302
    assert _post(client, offering, day, marks).status_code == 302

    assert hours_counted(mine.learner, day) == Decimal(9)
    assert hours_counted(theirs.learner, day) == Decimal("6.5")
    assert HoursEntry.objects.count() == 2
    entry = HoursEntry.objects.get(learner=mine.learner)
    assert (entry.mode, entry.source, entry.recorded_by, entry.date) == (
        "in_person",
        "course_day",
        instructor,
        day.date,
    )


def test_absent_writes_no_hours_and_changing_before_sign_off_is_a_correction(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    day = _day(offering)
    _post(client, offering, day, {mine: ("present", ""), theirs: ("absent", "")})
    _post(client, offering, day, {mine: ("partial", "4"), theirs: ("absent", "")})

    assert hours_counted(mine.learner, day) == Decimal(4)
    assert hours_counted(theirs.learner, day) == 0
    correction = HoursEntry.objects.get(source="correction")
    assert (correction.hours, correction.note) == (
        Decimal(-5),
        "Changed on the roster before sign-off.",
    )


def test_after_sign_off_a_change_needs_a_reason_and_is_kept_as_a_correction(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    day = _day(offering)
    marks = {mine: ("present", ""), theirs: ("present", "")}
    _post(client, offering, day, marks, sign_off="1")
    assert DaySignOff.objects.filter(course_day=day, signed_off_by=instructor).exists()

    refused = _post(client, offering, day, {mine: ("partial", "7"), theirs: ("present", "")})
    assert "say why these hours change" in refused.content.decode()
    assert hours_counted(mine.learner, day) == Decimal(9)

    _post(
        client,
        offering,
        day,
        {mine: ("partial", "7"), theirs: ("present", "")},
        reason="Left at 3:30 pm",
    )
    correction = HoursEntry.objects.get(source="correction")
    assert (correction.hours, correction.note, correction.corrects.learner) == (
        Decimal(-2),
        "Left at 3:30 pm",
        mine.learner,
    )


@pytest.mark.parametrize(
    ("mark", "hours", "message"),
    [
        ("partial", "-1", "Hours cannot be negative."),
        ("partial", "9.5", "At most the day&#x27;s 9 scheduled hours."),
        ("partial", "4.1", "multiple of 0.25"),
        ("partial", "", "Give the hours attended for a partial day."),
    ],
)
def test_bad_hours_get_their_message_and_change_nothing(
    client, instructor, offering, seats, mark, hours, message
):
    mine, theirs = seats
    client.force_login(instructor)

    response = _post(
        client, offering, _day(offering), {mine: (mark, hours), theirs: ("present", "")}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "Hours cannot be negative."),
        ("9.5", "At most the day&#x27;s 9 scheduled hours."),
        ("six", "Enter a number."),
    ],
)
def test_it_shows_one_message_for_hours_a_partial_day_cannot_hold(
    client, instructor, offering, seats, hours, message
):
    mine, theirs = seats
    client.force_login(instructor)

    response = _post(
        client, offering, _day(offering), {mine: ("partial", hours), theirs: ("present", "")}
    )

    page = response.content.decode()
    errors = re.findall(r'<span class="field-errors">(.*?)</span>', page, re.S)
    assert len(errors) == 1
    assert re.findall(r"<li>(.*?)</li>", errors[0]) == [message]
    assert not HoursEntry.objects.exists()


def test_a_future_day_cannot_be_recorded(client, instructor, offering, seats):
    mine, theirs = seats
    later = catalog_offering(first_day=dt.date(2026, 12, 1), instructors=[instructor])
    seat = roster_seat(later, mine.learner)
    client.force_login(instructor)

    response = _post(client, later, _day(later), {seat: ("present", "")})

    assert "has not happened yet" in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_a_learner_who_is_not_confirmed_cannot_be_recorded(client, instructor, offering, seats):
    mine, theirs = seats
    cancelled = roster_seat(
        offering, UserFactory(first_name="Gone", last_name="Away"), status="cancelled"
    )
    client.force_login(instructor)

    response = _post(
        client,
        offering,
        _day(offering),
        {mine: ("present", ""), theirs: ("present", ""), cancelled: ("present", "")},
    )

    assert "Gone Away is not a confirmed learner of this offering." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_another_offerings_instructor_and_learners_get_403(client, offering, seats, learner):
    stranger = UserFactory(roles=["Instructor"])
    day = _day(offering)
    for user in (stranger, learner):
        client.force_login(user)
        assert client.get(_url(offering, day)).status_code == 403
        assert client.get(f"/teach/offerings/{offering.pk}/").status_code == 403
        assert client.get(_url(offering, day) + "sign-in-sheet.pdf").status_code == 403
        assert _post(client, offering, day, {seats[0]: ("present", "")}).status_code == 403
    assert not HoursEntry.objects.exists()


@pytest.mark.usefixtures("shared_cache")  # on Redis the offering is read with the session
def test_an_instructor_removed_from_the_offering_loses_its_pages_at_once_and_one_added_gains_them(
    client, instructor, offering, seats
):
    newcomer = UserFactory(roles=["Instructor"])
    page = f"/teach/offerings/{offering.pk}/"
    client.force_login(instructor)
    assert client.get(page).status_code == 200
    client.force_login(newcomer)
    assert client.get(page).status_code == 403

    offering.instructors.remove(instructor)
    offering.instructors.add(newcomer)
    offering.save()  # a parental many-to-many (modelcluster) is written by the save

    assert client.get(page).status_code == 200
    client.force_login(instructor)
    assert client.get(page).status_code == 403
    assert (
        client.get(f"/offerings/{offering.pk}/")
        .content.decode()
        .count(newcomer.get_full_name() or newcomer.email)
        == 1
    )  # the public page names the new instructor at once


def test_on_redis_the_class_page_reads_its_offering_with_the_session(
    redis_url, client, instructor, offering, seats, round_trips
):
    page = f"/teach/offerings/{offering.pk}/"
    with override_settings(CACHES=redis_cache_settings(redis_url)):
        cache.clear()
        client.force_login(instructor)
        assert client.get(page).status_code == 200
        round_trips.clear()

        again = client.get(page)

        assert again.status_code == 200
        assert seats[0].learner.get_full_name() in again.content.decode()
        assert len(round_trips) == 2  # the session, its user and the offering; the kept page
        cache.clear()


def test_a_registrar_steps_in_for_an_instructor_and_is_named_on_the_hours(
    client, registrar, offering, seats
):
    mine, _ = seats
    day = _day(offering)
    client.force_login(registrar)

    assert client.get(f"/teach/offerings/{offering.pk}/").status_code == 200
    assert _post(client, offering, day, dict.fromkeys(seats, ("present", ""))).status_code == 302

    assert HoursEntry.objects.get(learner=mine.learner).recorded_by == registrar
    seats_page = client.get(f"/admin/offerings/{offering.pk}/seats/").content.decode()
    assert f'href="/teach/offerings/{offering.pk}/"' in seats_page


def test_the_sign_in_sheet_lists_the_class(
    client, instructor, offering, seats, learner, other_learner
):
    client.force_login(instructor)

    response = client.get(_url(offering, _day(offering)) + "sign-in-sheet.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Friday 20 November 2026" in text
    assert learner.get_full_name() in text and other_learner.get_full_name() in text


def _record_all_days(client, instructor, offering, marks):
    for day in offering.days.order_by("date"):
        _post(client, offering, day, marks, sign_off="1")


def test_hours_and_passed_assessments_complete_the_enrollment(client, instructor, offering, seats):
    mine, theirs = seats
    client.force_login(instructor)
    _record_all_days(
        client, instructor, offering, {mine: ("present", ""), theirs: ("partial", "8")}
    )

    response = client.post(f"/teach/offerings/{offering.pk}/", {
        f"written_{mine.pk}": "80", f"practical_{mine.pk}": "pass",
        f"written_{theirs.pk}": "95", f"practical_{theirs.pk}": "pass",
    })  # fmt: skip

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "completed"
    assert theirs.status == "incomplete"  # 24 of 27 hours


def test_a_failed_written_exam_leaves_the_course_incomplete_until_a_retake_passes(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    _record_all_days(client, instructor, offering, {mine: ("present", ""), theirs: ("present", "")})
    results = {f"written_{theirs.pk}": "", f"practical_{theirs.pk}": ""}

    client.post(
        f"/teach/offerings/{offering.pk}/",
        {**results, f"written_{mine.pk}": "79", f"practical_{mine.pk}": "pass"},
    )
    mine.refresh_from_db()
    assert mine.status == "incomplete"

    client.post(
        f"/teach/offerings/{offering.pk}/",
        {**results, f"written_{mine.pk}": "88", f"practical_{mine.pk}": "pass"},
    )
    mine.refresh_from_db()
    assert mine.status == "completed"
    assert list(
        AssessmentResult.objects.filter(enrollment=mine).values_list("written_score", flat=True)
    ) == [88, 79]


def test_a_score_above_100_is_refused(client, instructor, offering, seats):
    mine, theirs = seats
    client.force_login(instructor)

    response = client.post(
        f"/teach/offerings/{offering.pk}/",
        {f"written_{mine.pk}": "101", f"practical_{mine.pk}": "pass"},
    )

    assert "less than or equal to 100" in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_the_teaching_page_lists_only_the_instructors_offerings(client, instructor, offering):
    other = catalog_offering(
        first_day=dt.date(2027, 1, 10), venue=None, instructors=[UserFactory(roles=["Instructor"])]
    )
    client.force_login(instructor)

    page = client.get("/teach/").content.decode()

    assert f"/teach/offerings/{offering.pk}/" in page
    assert f"/teach/offerings/{other.pk}/" not in page


@pytest.fixture
def strangers_seat(instructor):
    """A confirmed seat in another offering the same instructor does not teach."""
    elsewhere = catalog_offering(
        first_day=FIRST_DAY, instructors=[UserFactory(roles=["Instructor"])], status="closed"
    )
    return roster_seat(elsewhere, UserFactory(first_name="Idora", last_name="Stranger"))


def test_another_offerings_seat_posted_to_a_day_is_refused_without_naming_its_learner(
    client, instructor, offering, seats, strangers_seat
):
    mine, theirs = seats
    client.force_login(instructor)
    marks = {mine: ("present", ""), theirs: ("present", ""), strangers_seat: ("present", "")}

    page = _post(client, offering, _day(offering), marks).content.decode()

    assert "Idora" not in page and "Stranger" not in page
    assert "not a seat in this offering" in page
    assert not HoursEntry.objects.exists()


def test_another_offerings_seat_posted_with_results_is_refused_without_naming_its_learner(
    client, instructor, offering, seats, strangers_seat
):
    mine, _ = seats
    client.force_login(instructor)

    page = client.post(f"/teach/offerings/{offering.pk}/", {
        f"written_{mine.pk}": "90", f"practical_{mine.pk}": "pass",
        f"written_{strangers_seat.pk}": "10", f"practical_{strangers_seat.pk}": "fail",
    }).content.decode()  # fmt: skip

    assert "Idora" not in page and "Stranger" not in page
    assert "not a seat in this offering" in page
    assert not AssessmentResult.objects.exists()


def test_results_posted_for_one_learner_leave_the_others_as_they_are(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    client.post(f"/teach/offerings/{offering.pk}/", {
        f"written_{mine.pk}": "90", f"practical_{mine.pk}": "pass",
        f"written_{theirs.pk}": "85", f"practical_{theirs.pk}": "pass",
    })  # fmt: skip

    response = client.post(f"/teach/offerings/{offering.pk}/", {f"written_{mine.pk}": "70"})

    assert response.status_code == 302
    latest = {
        r.enrollment_id: (r.written_score, r.practical_passed)
        for r in AssessmentResult.objects.order_by("recorded_at", "pk")
    }
    assert latest == {mine.pk: (70, True), theirs.pk: (85, True)}
    assert AssessmentResult.objects.filter(enrollment=theirs).count() == 1


def test_attendance_posted_for_one_learner_leaves_the_others_as_they_are(
    client, instructor, offering, seats
):
    mine, theirs = seats
    client.force_login(instructor)
    day = _day(offering)
    _post(client, offering, day, {mine: ("present", ""), theirs: ("partial", "6")})

    response = _post(client, offering, day, {mine: ("partial", "5")})

    assert response.status_code == 302
    assert hours_counted(mine.learner, day) == Decimal(5)
    assert hours_counted(theirs.learner, day) == Decimal(6)


def test_hours_that_would_overfill_a_learners_day_are_refused_naming_them(
    client, instructor, registrar, offering, seats
):
    from learners.ledger import hours_entry_record

    mine, theirs = seats
    hours_entry_record(learner=mine.learner, date=FIRST_DAY, hours=Decimal(20), mode="online",
                       source="outside", recorded_by=registrar, today=FIRST_DAY)  # fmt: skip
    client.force_login(instructor)

    response = _post(
        client, offering, _day(offering), {mine: ("present", ""), theirs: ("present", "")}
    )

    page = response.content.decode()
    assert f"{mine.learner}: 20 November 2026 would hold 29 hours" in page
    assert not HoursEntry.objects.filter(course_day__isnull=False).exists()


@pytest.mark.parametrize("which", ["offering", "day"])
def test_it_shows_the_roster_in_a_fixed_number_of_queries_whatever_the_class_size(
    client, instructor, offering, seats, django_assert_max_num_queries, which
):
    url = _url(offering, _day(offering)) if which == "day" else f"/teach/offerings/{offering.pk}/"
    client.force_login(instructor)
    client.get(url)  # fills the caches kept between requests (the menu)

    roster_seat(offering, UserFactory(first_name="Early", last_name="Joiner"))
    with django_assert_max_num_queries(10):  # a new seat: the class's part is built again
        small = client.get(url)
    for n in range(3):
        roster_seat(offering, UserFactory(first_name="Late", last_name=f"Joiner{n}"))
    with django_assert_max_num_queries(10):
        large = client.get(url)
    # Nothing changed: the offering page serves the class's part as kept; the day page, whose
    # offline roster needs the class's lines, is built on every request.
    # The offering page, kept whole: the user, their roles, who may record it, the fingerprint.
    with django_assert_max_num_queries(10 if which == "day" else 4):
        again = client.get(url)

    assert small.status_code == large.status_code == again.status_code == 200
    assert "Early Joiner" in small.content.decode()
    assert all(f"Late Joiner{n}" in large.content.decode() for n in range(3))
    assert all(f"Late Joiner{n}" in again.content.decode() for n in range(3))
