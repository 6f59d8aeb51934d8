"""The roster's sync endpoint (issue 19): queued marks applied once by their id, refused
with a reason when the server says no, 403 for another instructor's offering, 400 per mark
for bad input with nothing changed."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from courses.checkin import checkin_token, day_short_codes
from courses.models import AssessmentResult, Attendance, DaySignOff, Enrollment, RosterSyncMark
from learners.models import HoursEntry
from tests.courses.roster_helpers import FIRST_DAY, hours_counted, roster_seat
from tests.factories import UserFactory, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
URL = "/api/v1/roster/sync/"


@pytest.fixture
def day(offering):
    return offering.days.order_by("date")[0]


def _attendance(day, seat, mark="present", hours=None, **extra):
    return {"id": str(uuid.uuid4()), "kind": "attendance", "day": day.pk,
            "enrollment": seat.pk, "mark": mark, "hours": hours, **extra}  # fmt: skip


def _sync(client, offering, marks):
    return client.post(URL, {"offering": offering.pk, "marks": marks},
                       content_type="application/json")  # fmt: skip


def _statuses(response):
    return [(r["status"], r["reasons"]) for r in response.json()["results"]]


def test_it_applies_marks_once_and_a_repeat_is_already_applied(
    client, instructor, offering, seats, day
):
    mine, theirs = seats
    client.force_login(instructor)
    marks = [_attendance(day, mine), _attendance(day, theirs, "partial", "6.5")]

    first = _sync(client, offering, marks)
    again = _sync(client, offering, marks)

    assert first.status_code == 200
    assert _statuses(first) == [("applied", []), ("applied", [])]
    assert _statuses(again) == [("already_applied", []), ("already_applied", [])]
    assert hours_counted(mine.learner, day) == Decimal(9)
    assert hours_counted(theirs.learner, day) == Decimal("6.5")
    assert HoursEntry.objects.filter(course_day=day).count() == 2
    assert Attendance.objects.filter(course_day=day).count() == 2
    assert RosterSyncMark.objects.count() == 2


def test_a_later_mark_is_a_correction_and_the_ledger_keeps_the_first(
    client, instructor, offering, seats, day
):
    mine, _ = seats
    client.force_login(instructor)

    _sync(client, offering, [_attendance(day, mine), _attendance(day, mine, "absent")])

    assert hours_counted(mine.learner, day) == 0
    assert sorted(HoursEntry.objects.filter(course_day=day).values_list("hours", flat=True)) == [
        Decimal(-9), Decimal(9),
    ]  # fmt: skip


def test_a_mark_queued_before_sign_off_is_refused_with_its_reason(
    client, instructor, registrar, offering, seats, day
):
    mine, _ = seats
    DaySignOff.objects.create(course_day=day, signed_off_by=registrar)
    client.force_login(instructor)

    response = _sync(client, offering, [_attendance(day, mine, "partial", "3")])

    [(status, reasons)] = _statuses(response)
    assert status == "refused"
    assert reasons[0].startswith("The day was signed off on 23 November 2026")
    assert not HoursEntry.objects.filter(course_day=day).exists()
    assert not RosterSyncMark.objects.exists()


def test_a_cancelled_seat_and_hours_above_the_day_are_refused(
    client, instructor, offering, seats, day
):
    mine, theirs = seats
    Enrollment.objects.filter(pk=theirs.pk).update(status="cancelled")
    client.force_login(instructor)

    response = _sync(client, offering, [
        _attendance(day, theirs), _attendance(day, mine, "partial", "10"),
    ])  # fmt: skip

    assert _statuses(response) == [
        ("refused", [f"{theirs.learner}'s seat is Cancelled now: the mark was not applied."]),
        ("refused", ["At most the day's 9 scheduled hours."]),
    ]
    assert not HoursEntry.objects.exists()


def test_it_records_an_assessment_keeping_the_result_not_given(
    client, instructor, offering, seats, day
):
    mine, _ = seats
    client.force_login(instructor)
    mark = {"kind": "assessment", "enrollment": mine.pk}

    _sync(client, offering, [{**mark, "id": str(uuid.uuid4()), "written_score": 91}])
    _sync(client, offering, [{**mark, "id": str(uuid.uuid4()), "practical_passed": True}])

    latest = AssessmentResult.objects.filter(enrollment=mine).first()
    assert (latest.written_score, latest.practical_passed) == (91, True)
    assert AssessmentResult.objects.filter(enrollment=mine).count() == 2


def test_it_checks_in_by_token_and_by_short_code_and_refuses_a_forgery(
    client, instructor, offering, seats, day
):
    mine, theirs = seats
    client.force_login(instructor)
    codes = day_short_codes([mine.pk, theirs.pk], day.date)
    forged = checkin_token(mine.pk, day.date)[:-2] + "xx"

    response = _sync(client, offering, [
        {"id": str(uuid.uuid4()), "kind": "checkin", "day": day.pk, "code": forged},
        {"id": str(uuid.uuid4()), "kind": "checkin", "day": day.pk,
         "code": checkin_token(mine.pk, day.date)},
        {"id": str(uuid.uuid4()), "kind": "checkin", "day": day.pk,
         "code": codes[theirs.pk].lower()},
        {"id": str(uuid.uuid4()), "kind": "checkin", "day": day.pk,
         "code": checkin_token(mine.pk, day.date + dt.timedelta(days=1))},
    ])  # fmt: skip

    assert [s for s, _ in _statuses(response)] == ["refused", "applied", "applied", "refused"]
    assert _statuses(response)[0][1] == [
        "This check-in code is not one of ours (its signature does not match)."
    ]
    assert _statuses(response)[3][1] == [
        "This check-in code is for 21 November 2026, not this day."
    ]
    assert hours_counted(mine.learner, day) == hours_counted(theirs.learner, day) == Decimal(9)


def test_a_check_in_after_a_mark_leaves_the_mark(client, instructor, offering, seats, day):
    mine, _ = seats
    client.force_login(instructor)

    _sync(client, offering, [
        _attendance(day, mine, "partial", "4"),
        {"id": str(uuid.uuid4()), "kind": "checkin", "day": day.pk,
         "code": checkin_token(mine.pk, day.date)},
    ])  # fmt: skip

    assert hours_counted(mine.learner, day) == Decimal(4)


def test_it_refuses_another_instructors_offering_with_403_and_changes_nothing(
    client, offering, seats, day
):
    client.force_login(UserFactory(roles=["Instructor"]))

    response = _sync(client, offering, [_attendance(day, seats[0])])

    assert response.status_code == 403
    assert "Only an instructor of this offering" in response.json()["detail"]
    assert not HoursEntry.objects.exists() and not RosterSyncMark.objects.exists()


def test_it_refuses_signed_out_and_csrf_less_requests(instructor, offering, seats, day):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    assert _sync(anonymous, offering, [_attendance(day, seats[0])]).status_code == 403
    anonymous.force_login(instructor)
    assert _sync(anonymous, offering, [_attendance(day, seats[0])]).status_code == 403
    assert not HoursEntry.objects.exists()


def test_bad_input_is_a_400_per_mark_and_changes_nothing(
    client, instructor, offering, seats, day, learner
):
    mine, _ = seats
    stranger = roster_seat(catalog_offering(first_day=FIRST_DAY), UserFactory())
    other_day = stranger.offering.days.first()
    client.force_login(instructor)

    response = _sync(client, offering, [
        _attendance(day, mine),
        _attendance(day, stranger),
        _attendance(other_day, mine),
        _attendance(day, mine, "partial", "25"),
        {**_attendance(day, mine), "id": "not-a-uuid", "enrollment": "x"},
        {"id": str(uuid.uuid4()), "kind": "attendance", "day": day.pk},
    ])  # fmt: skip

    assert response.status_code == 400
    errors = response.json()["marks"]
    assert "0" not in errors  # a good mark among bad ones is not applied either
    assert errors["1"] == {
        "enrollment": [f"No learner of this offering has enrollment {stranger.pk}."]
    }
    assert errors["2"] == {"day": [f"Day {other_day.pk} is not a day of this offering."]}
    assert errors["3"] == {"hours": ["Ensure this value is less than or equal to 24."]}
    assert set(errors["4"]) == {"id", "enrollment"}
    assert set(errors["5"]) == {"enrollment", "mark"}
    assert not HoursEntry.objects.exists() and not RosterSyncMark.objects.exists()


def test_the_schema_documents_the_sync_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/roster/sync/"]["post"]
    assert sorted(operation["responses"]) == ["200", "400", "403", "415", "429"]
    assert "SyncRequest" in schema["components"]["schemas"]
