"""Automatic issuance of the Certification in Dry Needling (DESIGN.md 3.4): once, when every
requirement holds, whatever triggered it (each flow that changes an input, driven as its user
drives it); what is missing otherwise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from certification.models import Certificate
from certification.programs import certificate_issue_if_due, learner_progress
from learners.ledger import hours_entry_correct
from tests.certification.helpers import (
    course_completed,
    dn2_to_attend,
    pt_license,
    roster_day_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _issue(learner, program):
    return certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)


@pytest.mark.parametrize("order", [("DN-1", "DN-2"), ("DN-2", "DN-1")])
def test_both_courses_in_either_order_54_hours_and_a_license_issue_the_certificate(
    learner, instructor, program, order
):
    course_completed(learner, instructor, order[0], dt.date(2026, 3, 14))
    course_completed(learner, instructor, order[1], dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)

    certificate = _issue(learner, program)

    assert certificate.number == "CDN-2026-000001"
    assert len(certificate.verification_code) >= 22  # 16 random bytes, URL-safe
    assert (certificate.hours, certificate.holder_name, certificate.status) == (
        Decimal(54),
        "Jordan Avery Lee",
        "valid",
    )
    assert [c["code"] for c in certificate.evidence["courses"]] == ["DN-1", "DN-2"]
    assert certificate.evidence["license"]["jurisdiction"] == "VA"
    assert _issue(learner, program) is None and Certificate.objects.count() == 1  # once


def _all_but(missing: str, learner, instructor) -> None:
    dn1_start = dt.date(2025, 3, 14) if missing == "hours" else dt.date(2026, 3, 14)
    course_completed(learner, instructor, "DN-1", dn1_start)
    if missing != "DN-2":
        course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    if missing == "unverified license":
        pt_license(learner, status="unverified")
    elif missing == "expired license":
        pt_license(learner, expires=dt.date(2026, 11, 1))
    else:
        pt_license(learner)


@pytest.mark.parametrize("missing", ["DN-2", "hours", "unverified license", "expired license"])
def test_a_missing_requirement_means_no_certificate_and_the_dashboard_says_which(
    client, learner, instructor, program, missing
):
    _all_but(missing, learner, instructor)

    assert _issue(learner, program) is None
    progress, _, _ = learner_progress(learner, program, today=dt.date(2026, 11, 23))
    assert not progress.complete
    client.force_login(learner)
    page = client.get("/me/").content.decode()
    if missing == "hours":
        assert "27 of 54 hours" in page
    elif missing.endswith("license"):
        assert (
            'A verified, current license</span>\n                <span class="badge">Not yet'
            in page
        )
    else:
        assert 'DN-2 completed</span>\n                    <span class="badge">Not yet' in page


@pytest.mark.parametrize(
    ("dn2_start", "issued"), [(dt.date(2026, 3, 9), True), (dt.date(2026, 3, 10), False)]
)
def test_the_12_month_window_at_its_boundary(learner, instructor, program, dn2_start, issued):
    # DN-1 on 12-14 March 2025: the window from 12 March 2025 ends (exclusive) on 12 March 2026,
    # so DN-2 on 9-11 March 2026 falls inside and DN-2 on 10-12 March 2026 does not.
    course_completed(learner, instructor, "DN-1", dt.date(2025, 3, 12))
    course_completed(learner, instructor, "DN-2", dn2_start, city="Denver")
    pt_license(learner)

    assert (_issue(learner, program) is not None) is issued


def test_a_correction_that_takes_the_hours_below_54_blocks_issuance(learner, instructor, program):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    dn2 = course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    entry = dn2.learner.hours_entries.filter(course_day__offering=dn2.offering).first()
    hours_entry_correct(
        entry=entry, hours=Decimal(4), reason="Left at noon", recorded_by=instructor
    )
    pt_license(learner)

    assert _issue(learner, program) is None


def test_verifying_the_license_issues_the_certificate_and_emails_the_learner(
    client, registrar, learner, instructor, program, django_capture_on_commit_callbacks, mailoutbox
):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    license = pt_license(learner, status="unverified")
    assert not Certificate.objects.exists()
    client.force_login(registrar)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/licenses/{license.pk}/review/", {"decision": "verify"})

    certificate = Certificate.objects.get(learner=learner)
    assert mailoutbox[-1].to == [learner.email]
    assert certificate.number in mailoutbox[-1].body and "/verify/" in mailoutbox[-1].body


def test_a_revoked_certificate_is_not_reissued_automatically(
    learner, instructor, program, registrar
):
    from certification.certificates import certificate_set_status

    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    certificate = _issue(learner, program)
    certificate_set_status(
        certificate_id=certificate.pk, valid=False, reason="Fraudulent license", registrar=registrar
    )

    assert _issue(learner, program) is None
    assert Certificate.objects.count() == 1


def test_the_roster_day_that_completes_dn2_issues_the_certificate_and_emails_the_learner(
    client, learner, instructor, program, django_capture_on_commit_callbacks, mailoutbox
):
    seat = dn2_to_attend(client, learner, instructor)

    with django_capture_on_commit_callbacks(execute=True):
        for n in (0, 1):
            roster_day_post(client, seat, n, sign_off="1")
        assert not Certificate.objects.exists()  # 18 of DN-2's 27 hours
        roster_day_post(client, seat, 2, sign_off="1")

    seat.refresh_from_db()
    certificate = Certificate.objects.get(learner=learner)
    assert seat.status == "completed" and certificate.hours == Decimal(54)
    assert mailoutbox[-1].to == [learner.email] and certificate.number in mailoutbox[-1].body


def test_results_that_complete_dn2_after_its_hours_issue_the_certificate(
    client, learner, instructor, program, django_capture_on_commit_callbacks
):
    seat = dn2_to_attend(client, learner, instructor, passed=False)
    with django_capture_on_commit_callbacks(execute=True):
        for n in (0, 1, 2):
            roster_day_post(client, seat, n)
        assert not Certificate.objects.exists()  # the written exam is not in yet

        client.post(f"/teach/offerings/{seat.offering_id}/", {f"written_{seat.pk}": "85"})

    assert Certificate.objects.filter(learner=learner).exists()


def test_a_correction_on_the_signed_off_roster_that_completes_dn2_issues_the_certificate(
    client, learner, instructor, program, django_capture_on_commit_callbacks
):
    seat = dn2_to_attend(client, learner, instructor)
    with django_capture_on_commit_callbacks(execute=True):
        roster_day_post(client, seat, 0, "partial", "5", sign_off="1")
        for n in (1, 2):
            roster_day_post(client, seat, n, sign_off="1")
        seat.refresh_from_db()
        assert seat.status == "incomplete" and not Certificate.objects.exists()

        roster_day_post(client, seat, 0, reason="Sign-in sheet misread: she stayed all day")

    seat.refresh_from_db()
    assert seat.status == "completed"
    assert Certificate.objects.get(learner=learner).hours == Decimal(54)
