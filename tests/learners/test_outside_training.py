"""Outside training: the learner submits it with evidence (checked by content); a registrar
verifies it (its hours enter the ledger) or rejects it with a reason; nobody else decides."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import ModelLogEntry

from learners.models import HoursEntry, OutsideTraining

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, frozen_today):
    settings.MEDIA_ROOT = tmp_path


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _form(**changes):
    data = {
        "provider": "Myopain Seminars", "title": "Dry Needling Level 1",
        "started_on": "2026-09-12", "ended_on": "2026-09-13", "hours": "16.5",
        "in_person_hours": "12",
        "evidence": SimpleUploadedFile("certificate.pdf", PDF, "application/pdf"),
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def submitted(client, learner):
    client.force_login(learner)
    assert client.post("/me/outside-training/", _form()).status_code == 302
    return OutsideTraining.objects.get()


def test_a_learner_submits_training_with_a_pdf(submitted, client):
    assert (submitted.status, submitted.hours, submitted.evidence_type) == (
        "submitted",
        Decimal("16.5"),
        "application/pdf",
    )
    assert submitted.evidence.name.endswith(".pdf") and "certificate" not in submitted.evidence.name
    assert not HoursEntry.objects.exists()  # not until verified
    assert "Awaiting verification" in client.get("/me/outside-training/").content.decode()


def test_a_png_is_accepted_whatever_its_name(client, learner):
    client.force_login(learner)

    client.post(
        "/me/outside-training/",
        _form(evidence=SimpleUploadedFile("scan.pdf", _png(), "application/pdf")),
    )

    training = OutsideTraining.objects.get()
    assert training.evidence_type == "image/png" and training.evidence.name.endswith(".png")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "evidence": SimpleUploadedFile(
                    "cert.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
                )
            },
            "Upload a PDF, JPEG or PNG file",
        ),
        (
            {
                "evidence": SimpleUploadedFile(
                    "big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf"
                )
            },
            "the limit is 10 MB",
        ),
        ({"hours": "16.3"}, "positive multiple of 0.25"),
        ({"hours": "-2"}, "positive multiple of 0.25"),
        ({"in_person_hours": "20"}, "In-person hours cannot exceed the total hours."),
        ({"ended_on": "2026-09-01"}, "The last day cannot be before the first."),
        ({"ended_on": "2026-12-01"}, "Hours cannot be dated in the future (1 December 2026)."),
        (
            {"started_on": "2026-09-13", "hours": "25"},
            "13 September 2026 would hold 25 hours of training; a day holds at most 24",
        ),
        ({"hours": "9999", "in_person_hours": "0"}, "would hold 4999.5 hours"),
        ({"started_on": "13/09/2026"}, "Enter a valid date."),
    ],
)
def test_bad_submissions_get_their_message_and_store_nothing(client, learner, changes, message):
    client.force_login(learner)

    response = client.post("/me/outside-training/", _form(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OutsideTraining.objects.exists()


def test_the_same_training_twice_is_refused(client, submitted):
    response = client.post("/me/outside-training/", _form())

    assert "You have already submitted this training" in response.content.decode()
    assert OutsideTraining.objects.count() == 1


def test_evidence_is_served_to_its_owner_and_staff_only(
    client, submitted, other_learner, registrar
):
    url = f"/me/outside-training/{submitted.pk}/evidence/"
    assert client.get(url).getvalue() == PDF
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    client.force_login(registrar)
    assert client.get(url).status_code == 200


def test_a_registrar_verifies_and_the_hours_enter_the_ledger(client, submitted, registrar, learner):
    client.force_login(registrar)
    assert (
        "Dry Needling Level 1"
        in client.get("/admin/snippets/learners/outsidetraining/").content.decode()
    )

    client.post(f"/admin/outside-training/{submitted.pk}/review/", {"decision": "verify"})

    entries = {
        (e.mode, e.hours, e.date, e.source) for e in HoursEntry.objects.filter(learner=learner)
    }
    assert entries == {
        ("in_person", Decimal(12), dt.date(2026, 9, 13), "outside"),
        ("online", Decimal("4.5"), dt.date(2026, 9, 13), "outside"),
    }
    assert ModelLogEntry.objects.filter(action="dn.outside_training.reviewed").exists()
    client.post(f"/admin/outside-training/{submitted.pk}/review/", {"decision": "verify"})
    assert HoursEntry.objects.count() == 2  # decided once


def test_a_rejection_needs_a_reason_and_counts_nothing(client, submitted, registrar, learner):
    client.force_login(registrar)
    refused = client.post(f"/admin/outside-training/{submitted.pk}/review/", {"decision": "reject"})
    assert "Say why the training is rejected" in refused.content.decode()

    client.post(
        f"/admin/outside-training/{submitted.pk}/review/",
        {"decision": "reject", "reason": "Certificate unreadable"},
    )

    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_reason) == ("rejected", "Certificate unreadable")
    assert not HoursEntry.objects.exists()
    client.force_login(learner)
    assert "Certificate unreadable" in client.get("/me/outside-training/").content.decode()


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_verify(client, request, submitted, persona):
    client.force_login(request.getfixturevalue(persona))

    client.post(f"/admin/outside-training/{submitted.pk}/review/", {"decision": "verify"})

    assert not HoursEntry.objects.exists()


def test_a_submission_counts_the_hours_already_on_the_ledger_that_day(client, learner, registrar):
    from learners.ledger import hours_entry_record

    hours_entry_record(learner=learner, date=dt.date(2026, 9, 13), hours=Decimal(9),
                       mode="in_person", source="course_day", recorded_by=registrar,
                       today=dt.date(2026, 11, 23))  # fmt: skip
    client.force_login(learner)

    response = client.post(
        "/me/outside-training/", _form(started_on="2026-09-13", hours="16", in_person_hours="0")
    )

    assert "13 September 2026 would hold 25 hours" in response.content.decode()
    assert not OutsideTraining.objects.exists()


def test_verifying_training_that_overfills_a_day_is_refused_and_writes_nothing(
    client, learner, registrar
):
    client.force_login(learner)
    for title in ("Morning", "Evening"):
        one_day = _form(title=title, started_on="2026-09-13", hours="16", in_person_hours="0")
        assert client.post("/me/outside-training/", one_day).status_code == 302
    first, second = OutsideTraining.objects.order_by("pk")
    client.force_login(registrar)
    client.post(f"/admin/outside-training/{first.pk}/review/", {"decision": "verify"})

    response = client.post(f"/admin/outside-training/{second.pk}/review/", {"decision": "verify"})

    assert "13 September 2026 would hold 32 hours" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "submitted"
    assert sum(e.hours for e in HoursEntry.objects.all()) == 16
