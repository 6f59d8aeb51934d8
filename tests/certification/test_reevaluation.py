"""`reevaluate_all`: every learner re-evaluated in batches issues exactly the certificates
that evaluating each learner on their own would, once, in a fixed number of queries per
batch; bad arguments are refused with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.models import User
from certification.certificates import certificate_set_status
from certification.models import Certificate
from certification.programs import certificate_issue_if_due, certificates_evaluate
from certification.reevaluation import certificates_reevaluate_batch
from tests.certification.helpers import course_completed, pt_license
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _both_courses(learner, instructor, *, dn1=dt.date(2026, 3, 14)) -> None:
    course_completed(learner, instructor, "DN-1", dn1)
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")


@pytest.fixture
def cohort(instructor, registrar, program) -> dict[str, User]:
    """Learners at every stage: two who qualify, and one short of each requirement."""
    people = {name: UserFactory(email=f"{name}@example.test") for name in (
        "ready", "also_ready", "unverified", "dn1_only", "window_too_long", "expired",
        "revoked",
    )}  # fmt: skip
    for name in ("ready", "also_ready", "unverified", "expired", "revoked"):
        _both_courses(people[name], instructor)
    _both_courses(people["window_too_long"], instructor, dn1=dt.date(2025, 3, 14))
    course_completed(people["dn1_only"], instructor, "DN-1", dt.date(2026, 3, 14))
    for name in ("ready", "also_ready", "dn1_only", "window_too_long", "revoked"):
        pt_license(people[name])
    pt_license(people["unverified"], status="unverified")
    pt_license(people["expired"], expires=dt.date(2026, 10, 31))
    revoked = certificate_issue_if_due(learner_id=people["revoked"].pk, program_id=program.pk)
    certificate_set_status(
        certificate_id=revoked.pk, valid=False, reason="Forged", registrar=registrar
    )
    return people


def _issued() -> set[tuple[str, str, str]]:
    return {
        (c.learner.email, str(c.hours), str(c.evidence))
        for c in Certificate.objects.filter(status="valid").select_related("learner")
    }


def _one_by_one() -> set[tuple[str, str, str]]:
    """What evaluating each learner on their own issues, rolled back afterwards."""
    with transaction.atomic():
        for pk in User.objects.values_list("pk", flat=True):
            certificates_evaluate.call(learner_id=pk)
        issued = _issued()
        transaction.set_rollback(True)
    return issued


def test_it_issues_what_evaluating_each_learner_would(cohort):
    expected = _one_by_one()
    assert {email for email, _, _ in expected} == {"ready@example.test", "also_ready@example.test"}

    call_command("reevaluate_all", batch_size=3)  # batches cut through the cohort

    assert _issued() == expected
    assert Certificate.objects.filter(learner=cohort["revoked"]).count() == 1  # not replaced


def test_a_second_run_issues_nothing_more(cohort, capsys):
    call_command("reevaluate_all")
    first = capsys.readouterr().out

    call_command("reevaluate_all")

    assert "2 certificates issued" in first
    assert "0 certificates issued" in capsys.readouterr().out
    assert Certificate.objects.count() == 3


def test_enqueued_batches_are_run_by_the_workers(cohort):
    call_command("reevaluate_all", enqueue=True, batch_size=2, program="CDN")

    assert {c.learner_id for c in Certificate.objects.filter(status="valid")} == {
        cohort["ready"].pk,
        cohort["also_ready"].pk,
    }


def test_a_batch_costs_the_same_queries_whatever_its_size(
    cohort, program, django_assert_num_queries
):
    not_due = [cohort[name].pk for name in ("unverified", "dn1_only", "expired")]

    for learners in (not_due[:1], not_due):
        with django_assert_num_queries(6):  # programs, their courses, holders, 3 facts
            assert (
                certificates_reevaluate_batch(learner_ids=learners, program_ids=[program.pk]) == []
            )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"batch_size": 0}, "--batch-size must be between 1 and 10000, not 0."),
        ({"program": "XYZ"}, "No program has the code 'XYZ'; there are: CDN."),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_issued(cohort, arguments, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("reevaluate_all", **arguments)

    assert Certificate.objects.count() == 1
