"""Two triggers evaluate the same learner at once on PostgreSQL (a license verified while a
correction lands): exactly one certificate."""

from __future__ import annotations

import datetime as dt
import threading

import time_machine
from django.db import connections

from certification.models import Certificate
from certification.programs import certificate_issue_if_due, certification_program
from tests.certification.helpers import course_completed, pt_license
from tests.concurrency import RACES_ON_POSTGRESQL
from tests.factories import UserFactory, catalog_course

pytestmark = RACES_ON_POSTGRESQL


def test_concurrent_triggers_issue_one_certificate():
    with time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False):
        program = certification_program()
        program.required_courses.add(catalog_course("DN-1"), catalog_course("DN-2"))
        learner, instructor = UserFactory(), UserFactory(roles=["Instructor"])
        course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
        course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
        pt_license(learner)
        barrier = threading.Barrier(4)

        def trigger() -> None:
            try:
                barrier.wait()
                certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=trigger) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert Certificate.objects.filter(learner=learner).count() == 1
