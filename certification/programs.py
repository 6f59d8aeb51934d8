"""A learner's facts for a certification program, read from the database in a fixed number of
queries, measured by the pure `program_progress`; and issuing the certificate once they hold."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from config.dates import provider_date
from courses.models import Enrollment
from courses.selectors import learner_display_name
from learners.models import License
from learners.selectors import licenses_current

from .certificate_pdf import certificate_pdf_render_later
from .learner_facts import learners_days
from .models import Certificate, Program
from .progress import ProgramProgress, ProgramSpec, program_progress
from .tasks import certificate_issued_send
from .windows import Days

CERTIFICATION_CODE = "CDN"


def certification_program() -> Program | None:
    """The Certification in Dry Needling, with its courses."""
    return (
        Program.objects.prefetch_related("required_courses").filter(code=CERTIFICATION_CODE).first()
    )


def program_spec(program: Program) -> ProgramSpec:
    return ProgramSpec(
        name=program.name,
        courses=tuple(sorted(c.code for c in program.required_courses.all())),
        min_hours=program.min_hours,
        window_months=program.window_months,
        requires_license=program.requires_verified_license,
    )


def _qualifying(learner_ids: list[int], spec: ProgramSpec, today: dt.date) -> QuerySet[License]:
    """The learners' verified licenses current today, in a profession every required course
    admits."""
    licenses = licenses_current(today=today, verified=True).filter(learner_id__in=learner_ids)
    for code in spec.courses:
        licenses = licenses.filter(profession__courses__code=code)
    return licenses


def _completed(learner_ids: list[int], spec: ProgramSpec) -> QuerySet[Enrollment]:
    """The learners' completed enrollments in the required courses."""
    return Enrollment.objects.filter(
        learner_id__in=learner_ids, status=Enrollment.Status.COMPLETED,
        offering__course__code__in=spec.courses,
    )  # fmt: skip


def _course_hours(learner_ids: list[int], spec: ProgramSpec, today: dt.date) -> dict[int, Days]:
    """The learners' hours in the required courses, as daily sums up to today."""
    return learners_days(learner_ids, as_of=today,
                         course_day__offering__course__code__in=spec.courses)  # fmt: skip


Progress = tuple[ProgramProgress, dict[str, Enrollment], License | None]


def learners_progress(
    learner_ids: Iterable[int], program: Program, *, today: dt.date
) -> dict[int, ProgramProgress]:
    """Each learner's progress toward the program, in three queries whatever their number,
    read as plain values (for batches: building every enrollment, offering and license as
    model objects was most of a re-evaluation's time; `learner_progress` keeps the evidence)."""
    ids, spec = list(learner_ids), program_spec(program)
    completed: dict[int, set[str]] = defaultdict(set)
    for learner_id, code in _completed(ids, spec).values_list(
        "learner_id", "offering__course__code"
    ):
        completed[learner_id].add(code)
    licensed = (
        set(_qualifying(ids, spec, today).values_list("learner_id", flat=True))
        if spec.requires_license else set()
    )  # fmt: skip
    hours = _course_hours(ids, spec, today)
    return {
        learner_id: program_progress(
            spec,
            course_hours=hours.get(learner_id) or Days(()),
            completed_courses=completed[learner_id],
            license_verified=learner_id in licensed,
        )  # fmt: skip
        for learner_id in ids
    }


def learner_progress(learner: User, program: Program, *, today: dt.date) -> Progress:
    """The learner's progress toward the program, measured as `learners_progress` does, with
    the evidence a certificate records: the first completed enrollment of each course and the
    first qualifying license (none: None). Three queries."""
    ids, spec = [learner.pk], program_spec(program)
    license = (
        _qualifying(ids, spec, today).select_related("profession")
        .order_by("status_changed_at", "pk").first()
        if spec.requires_license else None
    )  # fmt: skip
    completed: dict[str, Enrollment] = {}
    enrollments = _completed(ids, spec).select_related("offering__course", "offering__venue")
    for enrollment in enrollments.order_by("created_at", "pk"):
        completed.setdefault(enrollment.offering.course.code, enrollment)
    progress = program_progress(
        spec, course_hours=_course_hours(ids, spec, today).get(learner.pk) or Days(()),
        completed_courses=set(completed), license_verified=license is not None,
    )  # fmt: skip
    return progress, completed, license


def _evidence(progress: ProgramProgress, completed: dict[str, Enrollment],
              license: License | None) -> dict:  # fmt: skip
    window = progress.window
    return {
        "courses": [
            {"code": code, "title": e.offering.course.title, "offering": e.offering.pk,
             "city": e.offering.venue.city, "first_day": str(e.offering.dates[0]),
             "last_day": str(e.offering.dates[-1])}
            for code, e in sorted(completed.items())
        ],
        "hours": {"total": str(window.total), "window_start": str(window.start),
                  "window_end": str(window.end), "window_months": progress.program.window_months},
        "license": None if license is None else {
            "jurisdiction": license.jurisdiction, "profession": license.profession.code,
            "number": license.number, "expires_on": str(license.expires_on),
            "verified_at": str(license.status_changed_at),
        },
    }  # fmt: skip


def certificate_issue_if_due(*, learner_id: int, program_id: int) -> Certificate | None:
    """Issue the certificate when every requirement holds and the learner has none for this
    program yet (a revoked one is reinstated by a registrar, never replaced automatically).
    Safe to call any number of times and concurrently: one certificate at most."""
    try:
        with transaction.atomic():
            return _issue(learner_id, program_id)
    except IntegrityError:  # a concurrent call issued it first
        return None


def _issue(learner_id: int, program_id: int) -> Certificate | None:
    program = Program.objects.select_for_update().get(pk=program_id)  # numbers in sequence
    learner = (
        User.objects.select_for_update(of=("self",))
        .select_related("learner_profile")
        .get(pk=learner_id)
    )
    if Certificate.objects.filter(learner=learner, program=program).exists():
        return None
    now = timezone.now()
    today = provider_date(now)
    progress, completed, license = learner_progress(learner, program, today=today)
    if not progress.complete:
        return None
    sequence = Certificate.objects.filter(program=program).count() + 1
    certificate = Certificate.objects.create(
        program=program, learner=learner, holder_name=learner_display_name(learner),
        number=f"{program.code}-{today:%Y}-{sequence:06d}",
        verification_code=secrets.token_urlsafe(16),  # 128 bits
        hours=progress.window.total, issued_at=now,
        evidence=_evidence(progress, completed, license),
    )  # fmt: skip
    transaction.on_commit(lambda: certificate_issued_send.enqueue(certificate_id=certificate.pk))
    certificate_pdf_render_later(certificate_id=certificate.pk)  # ready for the first download
    return certificate


@task()
def certificates_evaluate(*, learner_id: int) -> list[str]:
    """Issue every program's certificate the learner now qualifies for; returns the numbers.
    Enqueued by `certificates_reevaluate_later`."""
    issued = []
    for program_id in Program.objects.values_list("pk", flat=True):
        certificate = certificate_issue_if_due(learner_id=learner_id, program_id=program_id)
        if certificate:
            issued.append(certificate.number)
    return issued


def certificates_reevaluate_later(*, learner_ids: Iterable[int]) -> None:
    """Re-evaluate the learners' certificates in the task worker once the current transaction
    commits (at once outside one). The inputs of issuance (DESIGN.md 3.4) change in these flows
    only, and each calls this after its service, as the caller above the courses and learners
    services (STYLE habit 16):
    - an enrollment completed: an instructor's (or registrar's) roster save, sign-off or
      correction (the ledger corrections there are), and assessment results
      (courses/instructor_views.py), and the attendance import (operations/imports.py), which
      records through the roster's service;
    - a license verified or rejected by a registrar (learners/admin_views.py).
    Nothing else is an input: outside training's hours do not count toward a program (only
    its courses' days do), and a seat move, cancellation or refund acts on confirmed seats only,
    never a completed one. There are no signals: a new flow that changes an input must call
    this, and its test must show the certificate issued."""
    for learner_id in sorted(set(learner_ids)):
        transaction.on_commit(partial(certificates_evaluate.enqueue, learner_id=learner_id))
