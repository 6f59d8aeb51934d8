"""A learner's own certificate PDF is answered from a kept copy right after the session check
(config/early_downloads.py), with every header the whole way gives, until the certificate
changes; everyone and everything else takes the whole way: another learner's certificate gets
the site's 404 page, a visitor (or a session signed out, or whose password changed) the login
page, and staff the two-factor door."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from certification.certificates import certificate_set_status
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


SHARED_HEADERS = ("Content-Type", "Content-Length", "Content-Disposition", "ETag",
                  "Cache-Control", "X-Frame-Options", "Content-Security-Policy")  # fmt: skip


@pytest.mark.usefixtures("shared_cache")
def test_the_next_download_is_the_kept_copy_with_the_same_headers(
    client, learner, instructor, program, django_assert_num_queries
):
    certificate = _certified(learner, instructor, program)
    client.force_login(learner)
    first = client.get(_url(certificate))

    with django_assert_num_queries(0):
        again = client.get(_url(certificate))
    unchanged = client.get(_url(certificate), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200 and again.getvalue() == first.getvalue()
    assert {h: again[h] for h in SHARED_HEADERS} == {h: first[h] for h in SHARED_HEADERS}
    assert again["X-Request-ID"] != first["X-Request-ID"]  # added to every answer, not kept
    assert again.has_header("Permissions-Policy") and again.has_header("Referrer-Policy")
    assert unchanged.status_code == 304 and unchanged.content == b""


@pytest.mark.usefixtures("shared_cache")
def test_a_revocation_shows_in_the_next_download(client, learner, instructor, program, registrar):
    certificate = _certified(learner, instructor, program)
    client.force_login(learner)
    before = client.get(_url(certificate))

    certificate_set_status(certificate_id=certificate.pk, valid=False, reason="Issued in error",
                           registrar=registrar)  # fmt: skip
    after = client.get(_url(certificate))

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert after.getvalue() != before.getvalue()


def test_a_kept_copy_is_not_served_after_signing_out_or_a_password_change(
    client, learner, instructor, program
):
    certificate = _certified(learner, instructor, program)
    client.force_login(learner)
    assert client.get(_url(certificate)).status_code == 200
    elsewhere = Client()
    elsewhere.force_login(learner)
    assert elsewhere.get(_url(certificate)).status_code == 200

    client.logout()
    learner.set_password("a-new-passphrase-2026")
    learner.save()

    for signed_out in (client, elsewhere):
        response = signed_out.get(_url(certificate))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/me/certificates/")


def test_another_learner_gets_the_sites_404_page(
    client, learner, other_learner, instructor, program
):
    certificate = _certified(learner, instructor, program)
    owner = Client()
    owner.force_login(learner)
    assert owner.get(_url(certificate)).status_code == 200  # kept for the owner
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
