"""The waitlist: join when full, a freed seat offered in turn with a 48-hour hold, lapsed
holds released by the expiry job and passed to the next in line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from courses.exceptions import EnrollmentError
from courses.models import Enrollment
from courses.services.enrollment import enrollment_hold
from courses.services.waitlist import (
    holds_expire,
    waitlist_join,
    waitlist_leave,
    waitlist_position,
)
from tests.courses.test_enrollment_hold import NOW, an_offering, licensed_learner
from tests.factories import catalog_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(time_machine):
    """A one-seat offering whose seat is held, and two learners queued behind it (at NOW,
    so that learners joining in a test queue behind them whatever the real clock says)."""
    time_machine.move_to(NOW, tick=False)
    offering = an_offering(capacity=1)
    held = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    first = waitlist_join(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    second = waitlist_join(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    return held, first, second


def test_learners_queue_in_order(full):
    _, first, second = full

    assert (waitlist_position(first), waitlist_position(second)) == (1, 2)


def test_the_waitlist_is_only_for_full_offerings():
    offering = an_offering(capacity=3)

    with pytest.raises(EnrollmentError, match="Seats are available: enroll instead"):
        waitlist_join(learner=licensed_learner(), offering_id=offering.pk, now=NOW)


def test_a_lapsed_hold_goes_to_the_first_in_line_for_48_hours(
    full, django_capture_on_commit_callbacks, mailoutbox
):
    held, first, second = full
    later = NOW + dt.timedelta(minutes=16)

    with django_capture_on_commit_callbacks(execute=True):
        assert holds_expire(now=later) == 1

    held.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert held.status == Enrollment.Status.CANCELLED
    assert first.status == Enrollment.Status.OFFERED
    assert first.hold_expires_at == later + dt.timedelta(hours=48)
    assert second.status == Enrollment.Status.WAITLISTED
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["[DN Tracker] A seat is yours to take: DN-1 in Richmond",
                        "[DN Tracker] Your seat hold expired: DN-1 in Richmond"]  # fmt: skip
    assert f"/me/enrollments/{first.pk}/checkout/" in mailoutbox[0].body + mailoutbox[1].body


def test_an_unanswered_offer_passes_to_the_next(full):
    _, first, second = full
    holds_expire(now=NOW + dt.timedelta(minutes=16))

    holds_expire(now=NOW + dt.timedelta(hours=49))

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Enrollment.Status.CANCELLED
    assert second.status == Enrollment.Status.OFFERED


def test_the_offered_learner_can_pay_and_others_cannot_jump_in(full):
    _, first, _ = full
    holds_expire(now=NOW + dt.timedelta(minutes=16))

    with pytest.raises(EnrollmentError, match="This offering is full."):
        enrollment_hold(learner=licensed_learner(), offering_id=first.offering_id,
                        now=NOW + dt.timedelta(minutes=17))  # fmt: skip


def test_the_expiry_command_releases_lapsed_holds(full, time_machine):
    time_machine.move_to(NOW + dt.timedelta(minutes=16), tick=False)

    call_command("expire_holds")

    assert Enrollment.objects.filter(status=Enrollment.Status.OFFERED).count() == 1


def test_joining_the_waitlist_from_the_offering_page(client, full, time_machine):
    time_machine.move_to(NOW, tick=False)
    held, _, _ = full
    learner = licensed_learner()
    client.force_login(learner)

    response = client.post(f"/offerings/{held.offering_id}/waitlist/", follow=True)

    assert "You are number 3 on the waitlist." in response.content.decode()
    assert "Number 3 in line" in client.get("/me/courses/").content.decode()


def test_a_waitlist_place_for_a_course_already_held_is_refused_and_says_so(full):
    held, _, _ = full
    richmond = held.offering
    learner = licensed_learner()
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))
    enrollment_hold(learner=learner, offering_id=denver.pk, now=NOW)

    with pytest.raises(EnrollmentError) as refused:
        waitlist_join(learner=learner, offering_id=richmond.pk, now=NOW)

    assert list(refused.value.reasons) == [
        "You already have a seat in DN-1 (Denver, CO, 15 January 2027). To change dates, "
        "transfer that seat from My courses instead."
    ]


def test_a_learner_leaves_the_waitlist_from_my_courses(client, full, time_machine):
    time_machine.move_to(NOW, tick=False)
    _, first, second = full
    client.force_login(first.learner)
    assert "Leave the waitlist" in client.get("/me/courses/").content.decode()

    response = client.post(f"/me/enrollments/{first.pk}/leave-waitlist/", follow=True)

    assert "You have left the waitlist for DN-1" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Enrollment.Status.CANCELLED
    assert waitlist_position(second) == 1


def test_declining_an_offered_seat_offers_it_to_the_next_in_line(
    client, full, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    _, first, second = full
    later = NOW + dt.timedelta(minutes=16)
    holds_expire(now=later)
    time_machine.move_to(later, tick=False)
    client.force_login(first.learner)
    assert "Decline the seat" in client.get("/me/courses/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/me/enrollments/{first.pk}/leave-waitlist/")

    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Enrollment.Status.CANCELLED
    assert second.status == Enrollment.Status.OFFERED
    assert mailoutbox[-1].to == [second.learner.email]


def test_only_ones_own_waitlist_place_can_be_left(client, full, other_learner):
    held, first, _ = full
    client.force_login(other_learner)

    assert client.post(f"/me/enrollments/{first.pk}/leave-waitlist/").status_code == 404
    client.force_login(held.learner)
    response = client.post(f"/me/enrollments/{held.pk}/leave-waitlist/", follow=True)
    assert "You are not on the waitlist for this offering." in response.content.decode()
    first.refresh_from_db(), held.refresh_from_db()
    assert (first.status, held.status) == ("waitlisted", "held")


def test_a_freed_seat_passes_over_a_learner_with_a_live_seat_in_the_course_to_the_next(full):
    held, first, second = full
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))
    enrollment_hold(learner=first.learner, offering_id=denver.pk,
                    now=NOW + dt.timedelta(minutes=10))  # fmt: skip

    holds_expire(now=NOW + dt.timedelta(minutes=16))

    first.refresh_from_db(), second.refresh_from_db()
    assert second.status == Enrollment.Status.OFFERED
    assert first.status == Enrollment.Status.WAITLISTED
    assert waitlist_position(first) == 1


def test_a_passed_over_learner_keeps_their_place_for_when_their_other_seat_lapses(full):
    held, first, second = full
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))
    enrollment_hold(learner=first.learner, offering_id=denver.pk,
                    now=NOW + dt.timedelta(minutes=10))  # fmt: skip
    holds_expire(now=NOW + dt.timedelta(minutes=16))  # Richmond's seat goes to second

    later = NOW + dt.timedelta(minutes=30)
    holds_expire(now=later)  # first's Denver hold lapses
    waitlist_leave(learner=second.learner, enrollment_id=second.pk, now=later)

    first.refresh_from_db()
    assert first.status == Enrollment.Status.OFFERED


def test_a_passed_over_learner_is_told_why_on_my_courses(client, full, time_machine):
    held, first, second = full
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))
    enrollment_hold(learner=first.learner, offering_id=denver.pk,
                    now=NOW + dt.timedelta(minutes=10))  # fmt: skip
    time_machine.move_to(NOW + dt.timedelta(minutes=12), tick=False)
    client.force_login(first.learner)

    page = client.get("/me/courses/").content.decode()

    assert "Number 1 in line. While you hold your DN-1 seat of" in page
    assert "in Denver, a seat freed here goes to the next in line; you keep your place." in page
    client.force_login(second.learner)
    assert "While you hold" not in client.get("/me/courses/").content.decode()
