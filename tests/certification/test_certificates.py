"""A certificate's PDF (name, number, hours, a QR code to its verification page), public
verification by page and API, revocation and reinstatement, name correction, the signed
credential (checked here without the signing code) and the directory."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import base58
import pytest
import zxingcpp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PIL import Image
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from certification.certificates import certificate_set_status
from certification.programs import certificate_issue_if_due
from tests.certification.helpers import course_completed, pt_license

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def certificate(learner, instructor, program):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    return certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)


def _pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_the_pdf_holds_name_number_hours_and_a_qr_code_to_the_verification_page(
    client, learner, certificate, settings
):
    client.force_login(learner)

    response = client.get(f"/me/certificates/{certificate.pk}/certificate.pdf")

    assert response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    text = _pdf_text(content)
    assert "Jordan Avery Lee" in text and certificate.number in text and "54 hours" in text
    assert "(14 March – 16 March 2026, Richmond)" in text  # dates as people write them
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    image = Image.open(io.BytesIO(page.images[0].data))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"{settings.WAGTAILADMIN_BASE_URL}/verify/{certificate.verification_code}/"]
    assert client.get(f"/me/certificates/{certificate.pk}/certificate.pdf").getvalue() == content


def test_another_learner_cannot_see_or_download_it(client, other_learner, certificate):
    client.force_login(other_learner)
    for suffix in ("", "certificate.pdf", "credential.json"):
        assert client.get(f"/me/certificates/{certificate.pk}/{suffix}").status_code == 404


def test_the_verification_page_and_api_say_valid_with_nothing_else_personal(client, certificate):
    page = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert (
        "Valid." in page and "Jordan Avery Lee" in page and "Certification in Dry Needling" in page
    )
    assert "learner@example.test" not in page and "0101-" not in page

    body = client.get(f"/api/v1/certificates/{certificate.verification_code}/").json()
    assert body == {
        "status": "valid", "name": "Jordan Avery Lee", "program": "Certification in Dry Needling",
        "number": certificate.number, "hours": 54.0, "issued_on": "2026-11-23",
        "revoked_on": None, "revoked_reason": None,
    }  # fmt: skip


def test_an_unknown_code_gets_a_404_page(client):
    response = client.get("/verify/not-a-real-code/")

    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()
    assert client.get("/api/v1/certificates/not-a-real-code/").status_code == 404


def test_revoking_needs_a_reason_shows_on_verification_and_marks_the_pdf(
    client, registrar, learner, certificate
):
    client.force_login(registrar)
    url = f"/admin/certificates/{certificate.pk}/manage/"
    refused = client.post(url, {"action": "revoke", "reason": ""})
    assert "Give a reason" in refused.content.decode()

    client.post(url, {"action": "revoke", "reason": "License found to be forged"})

    body = client.get(f"/api/v1/certificates/{certificate.verification_code}/").json()
    assert (body["status"], body["revoked_on"], body["revoked_reason"]) == (
        "revoked",
        "2026-11-23",
        "License found to be forged",
    )
    assert "Revoked" in client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "REVOKED" in _pdf_text(
        client.get(f"/admin/certificates/{certificate.pk}/certificate.pdf").getvalue()
    )
    assert ModelLogEntry.objects.filter(action="dn.certificate.revoked").count() == 1

    client.post(url, {"action": "reinstate", "reason": "License confirmed genuine"})
    assert (
        client.get(f"/api/v1/certificates/{certificate.verification_code}/").json()["status"]
        == "valid"
    )
    assert ModelLogEntry.objects.filter(action="dn.certificate.reinstated").count() == 1


def test_the_registrar_reads_the_evidence_at_issue_as_tables(client, registrar, certificate):
    from bs4 import BeautifulSoup

    client.force_login(registrar)

    page = client.get(f"/admin/certificates/{certificate.pk}/manage/").content.decode()

    soup = BeautifulSoup(page, "html.parser")

    def rows(name):
        table = soup.find("table", attrs={"data-evidence": name})
        return [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
                for tr in table.tbody.find_all("tr")]  # fmt: skip

    assert rows("courses") == [
        ["DN-1 Dry Needling 1", "14 Mar – 16 Mar 2026", "Richmond"],
        ["DN-2 Dry Needling 2", "12 Sep – 14 Sep 2026", "Denver"],
    ]
    assert rows("hours") == [["54", "14 Mar 2026 – 13 Mar 2027 (within 12 months)"]]
    [[license, profession, expires, verified]] = rows("license")
    assert (license, profession, expires) == (
        f"VA 0101-{certificate.learner.pk}",
        "PT",
        "30 Jun 2028",
    )
    assert "{'courses'" not in page and "Jordan Avery Lee" in page


def test_the_reason_says_where_it_shows_for_revoking_and_for_reinstating(
    client, registrar, certificate
):
    client.force_login(registrar)
    url = f"/admin/certificates/{certificate.pk}/manage/"
    revoke_page = client.get(url).content.decode()
    client.post(url, {"action": "revoke", "reason": "License found to be forged"})

    reinstate_page = client.get(url).content.decode()

    assert "Shown on the public verification page." in revoke_page
    assert "when revoking" not in reinstate_page
    assert "Shown on the public verification page" not in reinstate_page
    assert "the verification page shows it valid again" in reinstate_page


def test_a_name_correction_keeps_number_and_date_and_is_logged(client, registrar, certificate):
    client.force_login(registrar)

    rename = {"action": "rename", "name": "Jordan A. Lee-Park", "reason": "Married name"}
    client.post(f"/admin/certificates/{certificate.pk}/manage/", rename)

    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.number, certificate.issued_at.date()) == (
        "Jordan A. Lee-Park",
        "CDN-2026-000001",
        dt.date(2026, 11, 23),
    )
    entry = ModelLogEntry.objects.get(action="dn.certificate.renamed")
    assert entry.data == {
        "from": "Jordan Avery Lee",
        "to": "Jordan A. Lee-Park",
        "reason": "Married name",
    }


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_manage_certificates(client, request, certificate, persona):
    client.force_login(request.getfixturevalue(persona))

    client.post(
        f"/admin/certificates/{certificate.pk}/manage/", {"action": "revoke", "reason": "x"}
    )

    certificate.refresh_from_db()
    assert certificate.status == "valid"


def _jcs(value) -> bytes:
    # RFC 8785 for JSON without floats, written here apart from the signing code.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def test_the_credential_verifies_against_the_published_key(client, learner, certificate):
    client.force_login(learner)
    credential = client.get(f"/me/certificates/{certificate.pk}/credential.json").json()
    issuer = client.get("/issuer/").json()

    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["name"] == "Jordan Avery Lee"
    proof = credential.pop("proof")
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-jcs-2022")
    method = next(m for m in issuer["verificationMethod"] if m["id"] == proof["verificationMethod"])
    key_bytes = base58.b58decode(method["publicKeyMultibase"][1:])
    assert key_bytes[:2] == b"\xed\x01"
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    signed = hashlib.sha256(_jcs(options)).digest() + hashlib.sha256(_jcs(credential)).digest()
    signature = base58.b58decode(proof["proofValue"][1:])

    Ed25519PublicKey.from_public_bytes(key_bytes[2:]).verify(signature, signed)  # raises if bad

    credential["credentialSubject"]["name"] = "Someone Else"
    tampered = hashlib.sha256(_jcs(options)).digest() + hashlib.sha256(_jcs(credential)).digest()
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(key_bytes[2:]).verify(signature, tampered)


def test_the_certificate_page_offers_downloads_and_linkedin(client, learner, certificate):
    client.force_login(learner)

    page = client.get(f"/me/certificates/{certificate.pk}/").content.decode()

    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert f"certId={certificate.number}" in page
    assert "credential.json" in page and "certificate.pdf" in page


def test_the_directory_lists_only_those_who_opted_in_and_drops_the_revoked(
    client, learner, certificate, registrar
):
    profile = learner.learner_profile
    assert "Jordan Avery Lee" not in client.get("/directory/").content.decode()  # off by default
    profile.directory_listed, profile.city, profile.state = True, "Richmond", "VA"
    profile.save()

    assert (
        "Jordan Avery Lee"
        in client.get("/directory/", {"state": "VA", "profession": "PT"}).content.decode()
    )
    assert "Jordan Avery Lee" in client.get("/directory/", {"q": "richmond"}).content.decode()
    assert "Jordan Avery Lee" not in client.get("/directory/", {"state": "CO"}).content.decode()

    from certification.certificates import certificate_set_status

    certificate_set_status(
        certificate_id=certificate.pk, valid=False, reason="Revoked", registrar=registrar
    )
    assert "Jordan Avery Lee" not in client.get("/directory/").content.decode()


def test_verification_is_rate_limited(client, certificate):
    from rest_framework.throttling import AnonRateThrottle

    rates = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**rates, "verify": "2/minute"}
    try:
        codes = [
            client.get(f"/verify/{certificate.verification_code}/").status_code for _ in range(3)
        ]
    finally:
        AnonRateThrottle.THROTTLE_RATES = rates
    assert codes == [200, 200, 429]


def test_a_second_anonymous_certificate_api_request_costs_no_query(
    client, certificate, django_assert_num_queries
):
    url = f"/api/v1/certificates/{certificate.verification_code}/"
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.json()["status"] == "valid"


def test_a_revocation_shows_at_once_on_the_kept_verification_page_and_api(
    client, registrar, certificate
):
    from certification.certificates import certificate_set_status

    page, api = (
        f"/verify/{certificate.verification_code}/",
        (f"/api/v1/certificates/{certificate.verification_code}/"),
    )
    assert "Revoked" not in client.get(page).content.decode()
    assert client.get(api).json()["status"] == "valid"

    certificate_set_status(
        certificate_id=certificate.pk, valid=False, reason="Forged", registrar=registrar
    )

    assert "Revoked" in client.get(page).content.decode()
    assert client.get(api).json()["status"] == "revoked"


def test_a_revoked_certificate_offers_no_credential_or_linkedin_until_reinstated(
    client, learner, registrar, certificate
):
    client.force_login(learner)
    page = f"/me/certificates/{certificate.pk}/"
    assert "Add to LinkedIn profile" in client.get(page).content.decode()
    certificate_set_status(certificate_id=certificate.pk, valid=False, reason="Forged license",
                           registrar=registrar)  # fmt: skip

    html = client.get(page).content.decode()

    assert "This certificate was revoked" in html
    assert "Download the verifiable credential" not in html
    assert "Add to LinkedIn profile" not in html
    assert "linkedin.com" not in html
    credential = client.get(f"/me/certificates/{certificate.pk}/credential.json")
    assert credential.status_code == 410
    assert b"revoked" in credential.content
    certificate_set_status(certificate_id=certificate.pk, valid=True, reason="Cleared",
                           registrar=registrar)  # fmt: skip
    assert "Add to LinkedIn profile" in client.get(page).content.decode()
