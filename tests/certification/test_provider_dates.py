"""One moment, one date (issue 13, item 9): a certificate issued and revoked late in the
evening in the provider's time zone (New York), when it is already the next day in UTC, shows
the provider's date on every surface: its page, the PDF, the API, the credential, the LinkedIn
link, the certificates and payments exports and the public verification page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from certification.certificates import certificate_set_status
from certification.programs import certificate_issue_if_due
from courses.models import Payment
from tests.certification.helpers import course_completed, pt_license

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
ISSUED = dt.datetime(2026, 11, 30, 23, 25, tzinfo=NEW_YORK)  # 04:25 on 1 December in UTC
REVOKED = dt.datetime(2026, 11, 30, 23, 30, tzinfo=NEW_YORK)


@pytest.fixture
def late_evening_issued(learner, instructor, program):
    dn1 = course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    with time_machine.travel(ISSUED, tick=False):
        certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
        Payment.objects.create(
            enrollment=dn1, amount_cents=89500, currency="usd", status="succeeded"
        )
    return certificate


@pytest.fixture
def late_evening_certificate(late_evening_issued, registrar):
    certificate = late_evening_issued
    with time_machine.travel(REVOKED, tick=False):
        certificate_set_status(
            certificate_id=certificate.pk, valid=False, reason="Issued in error",
            registrar=registrar,
        )  # fmt: skip
    return certificate


def _pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def _export(client, report: str, **filters) -> list[list[str]]:
    response = client.get("/admin/exports/", {"report": report, "file_format": "csv", **filters})
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


@time_machine.travel(REVOKED + dt.timedelta(minutes=10), tick=False)
def test_it_shows_the_providers_date_on_every_surface(
    client, learner, registrar, late_evening_certificate
):
    certificate = late_evening_certificate
    code = certificate.verification_code
    client.force_login(learner)

    page = client.get(f"/me/certificates/{certificate.pk}/").content.decode()
    assert "30 November 2026" in page and "1 December 2026" not in page
    pdf = _pdf_text(client.get(f"/me/certificates/{certificate.pk}/certificate.pdf").getvalue())
    assert "issued 30 November 2026" in pdf

    api = client.get(f"/api/v1/certificates/{code}/").json()
    assert (api["issued_on"], api["revoked_on"]) == ("2026-11-30", "2026-11-30")
    verify = client.get(f"/verify/{code}/").content.decode()
    assert "Revoked</strong> on 30 November 2026" in verify
    assert "<dt>Issued</dt><dd>30 November 2026</dd>" in verify

    client.force_login(registrar)
    certificates = _export(client, "certificates", start="2026-11-30", end="2026-11-30")
    assert [row[3] for row in certificates[1:]] == ["2026-11-30"]
    assert _export(client, "certificates", start="2026-12-01")[1:] == []
    payments = _export(client, "payments")
    assert [row[0] for row in payments[1:]] == ["2026-11"]
    assert [row[0] for row in _export(client, "payments", start="2026-11-30", end="2026-11-30")[1:]
            ] == ["2026-11"]  # fmt: skip


@time_machine.travel(ISSUED + dt.timedelta(minutes=10), tick=False)
def test_the_credential_and_linkedin_carry_the_providers_date(client, learner, late_evening_issued):
    # Offered only while the certificate is valid (a revoked one offers neither).
    certificate = late_evening_issued
    client.force_login(learner)

    page = client.get(f"/me/certificates/{certificate.pk}/").content.decode()
    credential = client.get(f"/me/certificates/{certificate.pk}/credential.json").json()
    assert credential["validFrom"] == "2026-11-30T23:25:00-05:00"
    linkedin = next(
        part.split('"')[0] for part in page.split('href="')[1:] if "linkedin.com" in part
    ).replace("&amp;", "&")
    query = parse_qs(urlsplit(linkedin).query)
    assert (query["issueYear"], query["issueMonth"]) == (["2026"], ["11"])


def test_a_certificate_issued_on_new_years_eve_is_numbered_in_that_year(
    learner, instructor, program
):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)

    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=NEW_YORK), tick=False):
        certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)

    assert certificate.number == "CDN-2026-000001"
