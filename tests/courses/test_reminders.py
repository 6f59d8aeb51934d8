"""Reminders 7 days and 1 day before the first day, each sent once, only for paid seats."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.models import Enrollment
from courses.services.reminders import reminders_send_due
from tests.factories import UserFactory, catalog_offering

pytestmark = pytest.mark.django_db
FIRST_DAY = dt.date(2027, 3, 14)


@pytest.fixture
def seats():
    offering = catalog_offering(first_day=FIRST_DAY)
    confirmed = Enrollment.objects.create(
        learner=UserFactory(), offering=offering, status=Enrollment.Status.CONFIRMED
    )
    Enrollment.objects.create(
        learner=UserFactory(), offering=offering, status=Enrollment.Status.CANCELLED
    )
    return confirmed


def _send(today: dt.date, capture) -> int:
    with capture(execute=True):
        return reminders_send_due(today=today)


@pytest.mark.parametrize(
    ("days_before", "subject"),
    [
        (7, "[DN Tracker] DN-1 starts in 7 days: Richmond"),
        (1, "[DN Tracker] DN-1 starts tomorrow: Richmond"),
    ],
)
def test_each_reminder_goes_once_to_confirmed_seats(
    seats, days_before, subject, django_capture_on_commit_callbacks, mailoutbox
):
    today = FIRST_DAY - dt.timedelta(days=days_before)

    assert _send(today, django_capture_on_commit_callbacks) == 1
    assert _send(today, django_capture_on_commit_callbacks) == 0

    [email] = mailoutbox
    assert (email.subject, email.to) == (subject, [seats.learner.email])
    assert "Day 3: Tuesday 16 March 2027" in email.body


def test_no_reminder_too_early_or_after_the_start(seats, django_capture_on_commit_callbacks):
    assert _send(FIRST_DAY - dt.timedelta(days=8), django_capture_on_commit_callbacks) == 0
    assert _send(FIRST_DAY, django_capture_on_commit_callbacks) == 0


def test_a_late_booking_gets_only_the_one_day_reminder(seats, django_capture_on_commit_callbacks,
                                                       mailoutbox):  # fmt: skip
    _send(FIRST_DAY - dt.timedelta(days=1), django_capture_on_commit_callbacks)

    assert [m.subject for m in mailoutbox] == ["[DN Tracker] DN-1 starts tomorrow: Richmond"]
