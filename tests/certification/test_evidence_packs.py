"""Evidence packs with the database: prepared from the self-check, the PDF a board reads (rule,
license, the entries behind each requirement, assessments, certificate, conditions), stored
once with the same bytes every time, verified in public by code (page and API), superseded by
a later correction, a revoked certificate or a changed rule, and only ever the learner's."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine
import zxingcpp
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader

from certification import evidence_packs
from certification.certificates import certificate_set_status
from certification.evidence_pack_pdf import evidence_pack_pdf
from certification.models import EvidencePack
from certification.programs import certificate_issue_if_due
from certification.rules import rules_load
from courses.models import AssessmentResult, DaySignOff
from learners.ledger import hours_entry_correct, hours_entry_record
from learners.models import HoursEntry, OutsideTraining
from tests.certification.helpers import course_completed, pt_license, rules_file_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "rules")]


@pytest.fixture
def certified(learner, instructor, registrar, program):
    """A Virginia PT with DN-1 (Richmond, its first day signed off, assessed) and DN-2
    (Denver), verified outside training, and the certificate."""
    dn1 = course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    DaySignOff.objects.create(course_day=dn1.offering.days.order_by("date")[0],
                              signed_off_by=instructor)  # fmt: skip
    AssessmentResult.objects.create(enrollment=dn1, written_score=91, practical_passed=True,
                                    recorded_by=instructor)  # fmt: skip
    training = OutsideTraining.objects.create(
        learner=learner, provider="APTA Learning", title="Needling safety",
        started_on=dt.date(2026, 6, 1), ended_on=dt.date(2026, 6, 1), hours=Decimal(4),
        in_person_hours=Decimal(0), evidence_type="application/pdf", status="verified",
        reviewed_by=registrar, reviewed_at=dt.datetime(2026, 6, 3, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    hours_entry_record(learner=learner, date=dt.date(2026, 6, 1), hours=Decimal(4),
                       mode="online", source="outside", recorded_by=registrar,
                       today=dt.date(2026, 11, 23), outside_training_id=training.pk)  # fmt: skip
    pt_license(learner)
    certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
    return learner


def _prepare(client, learner, state="VA") -> EvidencePack:
    client.force_login(learner)
    response = client.post("/me/evidence/", {"jurisdiction": state})
    pack = EvidencePack.objects.get(learner=learner)
    assert response.status_code == 302 and response["Location"] == f"/me/evidence/{pack.pk}/"
    return pack


def _text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def _download(client, pack) -> bytes:
    return client.get(f"/me/evidence/{pack.pk}/evidence.pdf").getvalue()


def test_it_prepares_a_pdf_a_board_can_read(client, certified, settings):
    pack = _prepare(client, certified)

    content = _download(client, pack)
    text = _text(content)
    certificate = certified.certificates.get()
    for fact in (
        "Jordan Avery Lee", f"License 0101-{certified.pk} (PT, VA)", "verified by the registrar",
        "Post-professional dry-needling training", "therapycomply.com",  # rule and citation
        "Last reviewed 23 November 2026",
        "Counted over every entry up to 23 November 2026 (no window)",  # Virginia has none
        "DN-1", "Richmond", "Denver",  # course and venue of each day
        "Needling safety (APTA Learning)", "Verified by",  # outside training and its review
        "Online", "In person",
        "91", "passed",  # DN-1's assessment
        certificate.number, "/verify/",  # the certificate and its verification link
        pack.sha256,
        "What you must still meet on your own",
    ):  # fmt: skip
        assert fact in text, fact
    reader = PdfReader(io.BytesIO(content))
    image = Image.open(io.BytesIO(reader.pages[0].images[0].data))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"{settings.WAGTAILADMIN_BASE_URL}/evidence/{pack.code}/"]


def test_a_state_with_a_window_shows_the_window_the_engine_counted_in(client, certified):
    pack = _prepare(client, certified, "DE")  # 54 hours in person within 24 months

    text = _text(_download(client, pack))

    assert "Counted in the window 14 March 2026 – 13 March 2028" in text
    assert "No current license in Delaware on record." in text
    assert "Years licensed" in text  # the rule's prior-practice row, unmet without a license


def test_it_names_the_instructor_who_signed_the_day_off(client, certified, instructor):
    pack = _prepare(client, certified)

    entries = pack.snapshot["requirements"][0]["entries"]

    signed = [e for e in entries if e["signed_off_by"]]
    assert len(signed) == 1 and signed[0]["date"] == "2026-03-14"
    assert signed[0]["signed_off_by"] == (instructor.get_full_name() or instructor.email)


def test_the_same_pack_gives_the_same_bytes_and_the_stored_hash(client, certified):
    pack = _prepare(client, certified)

    stored = _download(client, pack)

    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)):  # no clock in it
        later = evidence_pack_pdf(pack)
    assert evidence_pack_pdf(pack) == later == stored
    metadata = PdfReader(io.BytesIO(stored)).metadata
    assert (metadata["/CreationDate"], metadata["/ModDate"]) == ("D:20261123", "D:20261123")
    assert hashlib.sha256(stored).hexdigest() == pack.pdf_sha256
    assert default_storage.exists(pack.pdf_name)


def test_the_public_page_and_api_show_only_what_a_verifier_needs(client, certified):
    pack = _prepare(client, certified)
    client.logout()

    page = client.get(f"/evidence/{pack.code}/").content.decode()
    body = client.get(f"/api/v1/evidence/{pack.code}/").json()

    assert "Current." in page and "Jordan Avery Lee" in page and pack.sha256 in page
    assert f"0101-{certified.pk}" not in page and certified.email not in page
    assert "Richmond" not in page  # no entries, venues or hours in public
    assert body == {
        "status": "current", "changes": [], "name": "Jordan Avery Lee", "jurisdiction": "VA",
        "profession": "PT", "eligibility": pack.snapshot["status"], "as_of": "2026-11-23",
        "produced_on": "2026-11-23", "sha256": pack.sha256, "pdf_sha256": pack.pdf_sha256,
    }  # fmt: skip


def test_an_unknown_code_gets_a_404_page_and_api_answer(client):
    response = client.get("/evidence/not-a-real-code/")

    assert response.status_code == 404
    assert "No evidence pack with this code" in response.content.decode()
    api = client.get("/api/v1/evidence/not-a-real-code/")
    assert api.status_code == 404 and set(api.json()) == {"detail"}


def test_a_later_correction_in_the_window_supersedes_it(client, certified, instructor):
    pack = _prepare(client, certified)
    entry = HoursEntry.objects.filter(learner=certified, date=dt.date(2026, 9, 13)).get()

    hours_entry_correct(entry=entry, hours=Decimal(5), reason="Left early", recorded_by=instructor)

    body = client.get(f"/api/v1/evidence/{pack.code}/").json()
    assert body["status"] == "superseded"
    assert "A correction of 2026-09-13's hours was recorded." in body["changes"]
    page = client.get(f"/me/evidence/{pack.pk}/").content.decode()
    assert "Superseded." in page and "A correction of 2026-09-13" in page


def test_a_revoked_certificate_supersedes_it(client, certified, registrar):
    pack = _prepare(client, certified)
    certificate = certified.certificates.get()

    certificate_set_status(certificate_id=certificate.pk, valid=False, reason="Forged",
                           registrar=registrar)  # fmt: skip

    body = client.get(f"/api/v1/evidence/{pack.code}/").json()
    assert body["status"] == "superseded"
    assert body["changes"] == [f"Certificate {certificate.number} is now revoked."]


def test_a_changed_rule_supersedes_it(client, certified, tmp_path):
    pack = _prepare(client, certified)

    rules_load(rules_file_changed(tmp_path, "VA", "PT", last_reviewed="2026-11-22"))

    body = client.get(f"/api/v1/evidence/{pack.code}/").json()
    assert body["changes"] == ["The state's rule on file changed."]


def test_hours_recorded_after_it_was_produced_leave_it_current(client, certified, instructor):
    pack = _prepare(client, certified)

    with pytest.MonkeyPatch.context() as patch:  # the next day, a new entry dated that day
        patch.setattr(evidence_packs, "provider_date", lambda _: dt.date(2026, 11, 24))
        hours_entry_record(learner=certified, date=dt.date(2026, 11, 24), hours=Decimal(2),
                           mode="online", source="outside", recorded_by=instructor,
                           today=dt.date(2026, 11, 24))  # fmt: skip

    assert client.get(f"/api/v1/evidence/{pack.code}/").json()["status"] == "current"


def test_only_the_learner_sees_and_downloads_their_pack(client, certified, other_learner):
    pack = _prepare(client, certified)

    client.force_login(other_learner)
    assert client.get(f"/me/evidence/{pack.pk}/").status_code == 404
    assert client.get(f"/me/evidence/{pack.pk}/evidence.pdf").status_code == 404
    client.logout()
    assert client.get(f"/me/evidence/{pack.pk}/evidence.pdf")["Location"].startswith(
        "/accounts/login/"
    )
    response = client.post("/me/evidence/", {"jurisdiction": "VA"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert EvidencePack.objects.count() == 1


def test_an_unknown_state_is_refused_and_nothing_is_made(client, certified):
    client.force_login(certified)

    response = client.post("/me/evidence/", {"jurisdiction": "ZZ"}, follow=True)

    assert "Choose a US state or DC: “ZZ” is not one." in response.content.decode()
    assert not EvidencePack.objects.exists()


def test_a_long_ledger_is_rendered_by_the_worker_and_the_page_says_so(
    client, certified, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(evidence_packs, "INLINE_ENTRIES", 0)
    client.force_login(certified)

    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/me/evidence/", {"jurisdiction": "VA"})
    pack = EvidencePack.objects.get()
    page = client.get(f"/me/evidence/{pack.pk}/").content.decode()
    assert "being prepared" in page
    assert client.get(f"/me/evidence/{pack.pk}/evidence.pdf")["Location"] == (
        f"/me/evidence/{pack.pk}/"
    )

    for callback in callbacks:  # the commit enqueues the task; tests run it at once
        callback()
    pack.refresh_from_db()
    assert pack.is_ready
    assert "Download the evidence (PDF)" in client.get(f"/me/evidence/{pack.pk}/").content.decode()


def test_the_self_check_offers_it_for_each_state_shown(client, certified):
    client.force_login(certified)

    page = client.get("/me/eligibility/?state=TN").content.decode()

    assert page.count('action="/me/evidence/"') == 2  # Virginia (licensed) and Tennessee
    assert 'name="jurisdiction" value="TN"' in page


def test_the_kept_self_check_gives_each_sign_in_its_own_token_for_the_pack(certified):
    """The self-check is kept while the learner's record is unchanged; its evidence forms
    must carry the token of the request that shows them, not of the one that built them."""
    import re

    from django.test import Client

    first = Client(enforce_csrf_checks=True)
    first.force_login(certified)
    assert first.get("/me/eligibility/").status_code == 200  # built and kept

    later = Client(enforce_csrf_checks=True)  # another sign-in, another CSRF secret
    later.force_login(certified)
    page = later.get("/me/eligibility/").content.decode()
    form = page[page.index('action="/me/evidence/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = later.post("/me/evidence/", {"jurisdiction": "VA", "csrfmiddlewaretoken": token})

    assert answer.status_code == 302
    assert EvidencePack.objects.filter(learner=certified).count() == 1


def test_checking_a_pack_costs_the_same_queries_whatever_the_ledger(client, certified, instructor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pack = _prepare(client, certified)
    client.logout()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/evidence/{pack.code}/").status_code == 200
        return len(captured)

    before = queries()
    for day in range(1, 11):  # ten more days on the ledger, corrections of five of them
        entry = hours_entry_record(learner=certified, date=dt.date(2026, 10, day),
                                   hours=Decimal(3), mode="in_person", source="outside",
                                   recorded_by=instructor, today=dt.date(2026, 11, 23))  # fmt: skip
        if day % 2:
            hours_entry_correct(entry=entry, hours=Decimal(2), reason="Left early",
                                recorded_by=instructor)  # fmt: skip
    # The pack; the learner with their profile; profile and licenses; hours by date; the
    # ledger in one query (courses, venues, sign-offs, reviewers joined); enrollments; results;
    # certificates: the same count for ten entries or a thousand.
    assert queries() == before <= 12


def test_a_license_verified_later_supersedes_it(client, learner, instructor, registrar):
    from learners.services import license_review

    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    license = pt_license(learner, status="unverified")
    pack = _prepare(client, learner)
    assert pack.snapshot["license"]["status"] == "unverified"

    license_review(registrar=registrar, license_id=license.pk, verified=True, reason="")

    body = client.get(f"/api/v1/evidence/{pack.code}/").json()
    assert body["changes"] == ["The license on record changed."]
