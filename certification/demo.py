"""Demo certification for `seed_demo`: the program takes DN-1 and DN-2, and every demo learner
who qualifies is certified at once (Maya); Noah qualifies but for his license, which the demo
registrar verifies."""

from __future__ import annotations

from accounts.models import User
from courses.models import Course

from .programs import certificate_issue_if_due, certification_program


def demo_certificates_seed() -> int:
    program = certification_program()
    program.required_courses.add(*Course.objects.filter(code__in=["DN-1", "DN-2"]))
    issued = 0
    completed = User.objects.filter(enrollments__status="completed").distinct()
    for learner in completed:
        issued += certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk) is not None
    return issued
