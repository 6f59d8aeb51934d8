"""Holding a seat: the gate with real data, capacity, and the hold's lifetime."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.exceptions import EnrollmentError
from courses.models import Enrollment, Offering
from courses.services.enrollment import enrollment_hold
from learners.models import LearnerProfile, License, Profession
from tests.factories import UserFactory, catalog_course, catalog_offering, catalog_venue

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
JANUARY = dt.date(2027, 1, 15)  # registration open from October to 13 January


def an_offering(**fields):
    return catalog_offering(first_day=fields.pop("first_day", JANUARY), **fields)


def licensed_learner(profession: str = "PT", **license_fields):
    user = UserFactory()
    LearnerProfile.objects.create(
        user=user, legal_name=user.get_full_name(),
        profession=Profession.objects.get(code=profession),
    )  # fmt: skip
    License.objects.create(
        learner=user, profession=Profession.objects.get(code=profession), jurisdiction="VA",
        number=f"L-{user.pk}", issued_on=dt.date(2019, 5, 1), expires_on=dt.date(2027, 6, 30),
        **license_fields,
    )  # fmt: skip
    return user


def test_it_holds_a_seat_for_fifteen_minutes(settings):
    offering = an_offering(capacity=2)

    hold = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    assert hold.status == Enrollment.Status.HELD
    assert hold.hold_expires_at == NOW + dt.timedelta(minutes=15)


def test_the_hold_length_is_a_setting(settings):
    settings.SEAT_HOLD_MINUTES = 5
    offering = an_offering()

    hold = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    assert hold.hold_expires_at == NOW + dt.timedelta(minutes=5)


def test_the_last_seat_goes_once():
    offering = an_offering(capacity=1)
    enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    with pytest.raises(EnrollmentError, match="This offering is full."):
        enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
    assert Enrollment.objects.count() == 1


def test_an_expired_hold_frees_its_seat():
    offering = an_offering(capacity=1)
    enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)

    later = NOW + dt.timedelta(minutes=16)
    hold = enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=later)

    assert hold.status == Enrollment.Status.HELD


def test_a_learner_cannot_hold_two_seats_in_one_offering():
    offering = an_offering()
    learner = licensed_learner()
    enrollment_hold(learner=learner, offering_id=offering.pk, now=NOW)

    with pytest.raises(EnrollmentError, match="A seat in this offering is already held for you"):
        enrollment_hold(learner=learner, offering_id=offering.pk, now=NOW)


def test_a_rejected_or_expired_license_does_not_count():
    offering = an_offering()
    rejected = licensed_learner(status=License.Status.REJECTED)

    with pytest.raises(EnrollmentError, match="Add your license before enrolling"):
        enrollment_hold(learner=rejected, offering_id=offering.pk, now=NOW)
    with pytest.raises(EnrollmentError, match="Add your license before enrolling"):
        # 8:00 on 1 July in New York: the license expired on 30 June, its last current day
        enrollment_hold(learner=licensed_learner(), offering_id=offering.pk,
                        now=dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC))  # fmt: skip
    assert not Enrollment.objects.exists()


def test_a_profession_the_course_does_not_admit_is_refused():
    offering = an_offering()
    offering.course.professions_admitted.set(Profession.objects.filter(code="PT"))
    offering.course.save()

    with pytest.raises(EnrollmentError, match="Your profession is not admitted to DN-1."):
        enrollment_hold(learner=licensed_learner("ATC"), offering_id=offering.pk, now=NOW)


def test_registration_must_be_open():
    offering = an_offering(first_day=dt.date(2026, 11, 24))

    with pytest.raises(EnrollmentError, match="Registration closed on 22 November 2026."):
        enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)


def test_a_finished_class_awaiting_its_sign_off_does_not_block_the_next_date():
    learner = licensed_learner()
    finished = an_offering(first_day=dt.date(2026, 11, 13), status="closed")
    Enrollment.objects.create(learner=learner, offering=finished, status="confirmed")

    held = enrollment_hold(learner=learner, offering_id=an_offering().pk, now=NOW)

    assert held.status == "held"


def test_it_refuses_a_second_live_seat_in_the_same_course_and_offers_a_transfer():
    learner = licensed_learner()
    enrollment_hold(learner=learner, offering_id=an_offering().pk, now=NOW)
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))

    with pytest.raises(EnrollmentError) as refused:
        enrollment_hold(learner=learner, offering_id=denver.pk, now=NOW)

    assert list(refused.value.reasons) == [
        "You already have a seat in DN-1 (Richmond, VA, 15 January 2027). To change dates, "
        "transfer that seat from My courses instead."
    ]
    assert Enrollment.objects.filter(learner=learner).count() == 1


def test_a_lapsed_hold_or_another_course_does_not_stand_in_the_way():
    learner = licensed_learner()
    enrollment_hold(learner=learner, offering_id=an_offering().pk, now=NOW)
    later = NOW + dt.timedelta(minutes=16)
    denver = an_offering(venue=catalog_venue("Denver", "CO", "America/Denver"))

    assert enrollment_hold(learner=learner, offering_id=denver.pk, now=later).status == "held"
    dn2 = an_offering(course=catalog_course("DN-2"))
    assert enrollment_hold(learner=learner, offering_id=dn2.pk, now=later).status == "held"


def test_a_class_under_way_takes_no_enrollment_whatever_its_window_says():
    # The registrar left registration open past the first day.
    offering = an_offering(first_day=dt.date(2026, 11, 22))
    Offering.objects.filter(pk=offering.pk).update(
        registration_closes_at=NOW + dt.timedelta(days=5)
    )

    with pytest.raises(EnrollmentError, match="This class started on 22 November 2026."):
        enrollment_hold(learner=licensed_learner(), offering_id=offering.pk, now=NOW)
