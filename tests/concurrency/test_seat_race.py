"""Twenty learners race for the last seat on PostgreSQL: exactly one gets it. A control
test without the row lock shows the race is real (pretix's concurrency tests do the same)."""

from __future__ import annotations

import threading
import time

from django.db import connections

from courses import selectors
from courses.exceptions import EnrollmentError
from courses.models import Enrollment, Offering
from courses.services import enrollment as enrollment_service
from tests.concurrency import RACES_ON_POSTGRESQL
from tests.courses.test_enrollment_hold import NOW, an_offering, licensed_learner

pytestmark = RACES_ON_POSTGRESQL
RACERS = 20


def _race(offering_id: int, learners: list) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(learners))
    refusals: list[str] = []

    def take_seat(learner) -> None:
        try:
            barrier.wait()
            enrollment_service.enrollment_hold(learner=learner, offering_id=offering_id, now=NOW)
        except EnrollmentError as error:
            refusals.extend(error.reasons)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_seat, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Enrollment.objects.filter(offering_id=offering_id).count(), refusals


def test_twenty_learners_racing_for_the_last_seat_get_exactly_one_hold():
    offering = an_offering(capacity=1)
    learners = [licensed_learner() for _ in range(RACERS)]

    holds, refusals = _race(offering.pk, learners)

    assert holds == 1
    assert refusals == ["This offering is full."] * (RACERS - 1)


def test_control_without_the_lock_the_same_race_overbooks(monkeypatch):
    offering = an_offering(capacity=1)
    learners = [licensed_learner() for _ in range(RACERS)]
    count_seats = selectors.seats_taken_count

    def slow_count(**kwargs) -> int:
        taken = count_seats(**kwargs)
        time.sleep(0.05)  # widen the window between counting and writing
        return taken

    monkeypatch.setattr(
        enrollment_service, "_offering_locked",
        lambda pk: Offering.objects.select_related("course", "venue").get(pk=pk),
    )  # fmt: skip
    monkeypatch.setattr(selectors, "seats_taken_count", slow_count)

    holds, _ = _race(offering.pk, learners)

    assert holds > 1
