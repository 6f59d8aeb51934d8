"""A learner's own certificate PDF is answered right after authentication
(config/early_downloads.py), with every header the whole way gives; everyone and everything
else takes the whole way: another learner's certificate gets the site's 404 page, a visitor
the login page, and staff the two-factor door."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from certification.programs import certificate_issue_if_due
from tests.certification.helpers import course_completed, pt_license

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _certified(user, instructor, program):
    course_completed(user, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(user, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(user)
    return certificate_issue_if_due(learner_id=user.pk, program_id=program.pk)


def _url(certificate) -> str:
    return f"/me/certificates/{certificate.pk}/certificate.pdf"


def test_the_owner_gets_the_pdf_with_the_headers_of_every_page(
    client, learner, instructor, program
):
    certificate = _certified(learner, instructor, program)
    client.force_login(learner)

    response = client.get(_url(certificate))
    head = client.head(_url(certificate))

    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    for header in ("X-Frame-Options", "Content-Security-Policy", "Permissions-Policy",
                   "X-Request-ID", "X-Content-Type-Options", "Referrer-Policy"):  # fmt: skip
        assert response.has_header(header), header
    assert response["X-Frame-Options"] == "DENY"
    assert head.status_code == 200 and head["ETag"] == response["ETag"]


def test_another_learner_gets_the_sites_404_page(
    client, learner, other_learner, instructor, program
):
    certificate = _certified(learner, instructor, program)
    client.force_login(other_learner)

    response = client.get(_url(certificate))

    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content


def test_a_visitor_is_sent_to_sign_in(client, learner, instructor, program):
    certificate = _certified(learner, instructor, program)

    response = client.get(_url(certificate))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/certificates/")


def test_staff_meet_the_two_factor_door_before_their_own_certificate(
    registrar, instructor, program
):
    certificate = _certified(registrar, instructor, program)
    bare = Client()  # signed in without the code step: a staff session must confirm one
    bare.force_login(registrar)

    response = bare.get(_url(certificate))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next=%2Fme%2Fcert")
