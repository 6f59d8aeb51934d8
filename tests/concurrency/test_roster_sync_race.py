"""The same queue of marks synced twice at once (a phone retrying while its first request is
still on the way) on PostgreSQL: each mark is stored and applied once. The control shows the
race is real: without the unique mark id the same marks are written twice."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import time_machine
from django.db import connections

from courses.models import Attendance, Enrollment, RosterSyncMark
from courses.roster import Mark
from courses.services.roster_sync import Outcome, SyncMark, roster_sync
from learners.models import HoursEntry, LearnerProfile
from tests.concurrency import RACES_ON_POSTGRESQL
from tests.factories import UserFactory, catalog_offering

pytestmark = RACES_ON_POSTGRESQL
NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)


def _class():
    instructor = UserFactory(roles=["Instructor"])
    offering = catalog_offering(first_day=dt.date(2026, 11, 20), instructors=[instructor],
                                status="closed")  # fmt: skip
    seats = []
    for _ in range(3):
        learner = UserFactory()
        LearnerProfile.objects.create(user=learner, legal_name=learner.get_full_name())
        seats.append(Enrollment.objects.create(learner=learner, offering=offering,
                                               status="confirmed"))  # fmt: skip
    return instructor, offering, offering.days.order_by("date").first(), seats


def _race(instructor, offering, queues) -> list:
    barrier = threading.Barrier(len(queues))
    outcomes = []

    def send(marks) -> None:
        try:
            barrier.wait()
            outcomes.extend(
                roster_sync(offering_id=offering.pk, marks=marks, recorded_by=instructor)
            )
        finally:
            connections.close_all()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=send, args=(q,)) for q in queues]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return outcomes


def _queue(day, seats):
    return [
        SyncMark(client_id=uuid.uuid4(), kind="attendance", day_id=day.pk, enrollment_id=s.pk,
                 mark=Mark.PARTIAL, hours=Decimal(5))
        for s in seats
    ]  # fmt: skip


def test_the_same_queue_synced_twice_at_once_is_applied_once():
    with time_machine.travel(NOW, tick=False):
        instructor, offering, day, seats = _class()
    queue = _queue(day, seats)

    outcomes = _race(instructor, offering, [queue, queue])

    assert (
        sorted(o.outcome for o in outcomes) == [Outcome.ALREADY_APPLIED] * 3 + [Outcome.APPLIED] * 3
    )
    assert RosterSyncMark.objects.count() == 3
    assert Attendance.objects.filter(course_day=day).count() == 3
    assert sorted(HoursEntry.objects.filter(course_day=day).values_list("hours", flat=True)) == [
        Decimal(5)] * 3  # fmt: skip


def test_control_the_same_marks_under_new_ids_are_each_applied():
    """Without the id, the second sync is a second set of marks: applied again (the roster
    then finds nothing to change, which is why ids, not hours, must carry idempotency)."""
    with time_machine.travel(NOW, tick=False):
        instructor, offering, day, seats = _class()

    outcomes = _race(instructor, offering, [_queue(day, seats), _queue(day, seats)])

    assert [o.outcome for o in outcomes] == [Outcome.APPLIED] * 6
    assert RosterSyncMark.objects.count() == 6
