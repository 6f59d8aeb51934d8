"""Imports: every row checked and previewed with its line number; nothing written before the
registrar confirms; then every valid row or none; repeated rows skipped; a wrong header
refused; every import logged; only registrars."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from courses.models import Enrollment
from learners.models import HoursEntry, OutsideTraining
from tests.factories import catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
OUTSIDE = "learner_email,provider,title,started_on,ended_on,hours,in_person_hours\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, kind, text, mode="valid"):
    file = SimpleUploadedFile("rows.csv", text.encode(), "text/csv")
    return client.post("/admin/imports/", {"kind": kind, "file": file, "mode": mode})


def _summary(page, name):
    return re.search(rf'data-summary="{name}">(\d+)<', page)[1]


def test_outside_training_rows_are_previewed_then_written_and_verified(
    client, registrar, learner, other_learner
):
    client.force_login(registrar)
    text = OUTSIDE + (
        f"{learner.email},Myopain Seminars,DN Level 1,2026-09-12,2026-09-13,16.5,12\n"
        f"{other_learner.email},Myopain Seminars,DN Level 1,2026-09-12,2026-09-13,16.3,12\n"
        "nobody@example.test,X,Y,2026-09-12,2026-09-13,8,8\n"
        f"{learner.email},Myopain Seminars,DN Level 1,2026-09-12,2026-09-13,16.5,12\n"
    )

    page = _upload(client, "outside", text).content.decode()

    assert (_summary(page, "valid"), _summary(page, "errors"), _summary(page, "duplicates")) == (
        "1",
        "2",
        "1",
    )
    assert "Line 3:</strong> hours: 16.3 is not a positive multiple of 0.25." in page
    assert "Line 4:</strong> learner_email: no account with “nobody@example.test”." in page
    assert not OutsideTraining.objects.exists()  # nothing before confirming

    client.post("/admin/imports/", {"confirm": "1"})

    training = OutsideTraining.objects.get()
    assert (training.learner, training.status) == (learner, "verified")
    assert sorted(HoursEntry.objects.values_list("mode", "hours")) == [
        ("in_person", Decimal(12)),
        ("online", Decimal("4.5")),
    ]
    entry = ModelLogEntry.objects.get(action="dn.import")
    assert (entry.data["written"], entry.data["duplicates"], entry.data["lines_with_errors"]) == (
        1,
        1,
        [3, 4],
    )


def test_all_or_nothing_writes_nothing_when_a_row_is_wrong(client, registrar, learner):
    client.force_login(registrar)
    good = f"{learner.email},P,T,2026-09-12,2026-09-13,8,8\n"
    text = OUTSIDE + good + f"{learner.email},P,T2,2026-09-12,2026-09-11,8,8\n"
    _upload(client, "outside", text, mode="none")

    response = client.post("/admin/imports/", {"confirm": "1"}, follow=True)

    assert "Nothing was written: line 3 has errors." in response.content.decode()
    assert not OutsideTraining.objects.exists()


def test_a_preview_without_a_valid_row_offers_nothing_to_confirm(client, registrar):
    client.force_login(registrar)

    page = _upload(
        client, "outside", OUTSIDE + "nobody@example.test,P,T,2026-09-12,2026-09-13,8,8\n"
    )

    text = page.content.decode()
    assert "No row can be written: correct the file and upload it again." in text
    assert "Confirm the import" not in text and "0 valid rows" not in text


def test_one_valid_row_is_counted_as_one_row(client, registrar, learner):
    client.force_login(registrar)
    text = OUTSIDE + f"{learner.email},P,T,2026-09-12,2026-09-13,8,8\n"

    page = _upload(client, "outside", text).content.decode()
    confirmed = client.post("/admin/imports/", {"confirm": "1"}, follow=True).content.decode()

    assert "Confirming writes the one valid row." in page and "Confirm the import" in page
    assert "1 row written, 0 on record skipped." in confirmed


def test_the_same_rows_imported_again_are_skipped(client, registrar, learner):
    client.force_login(registrar)
    text = OUTSIDE + f"{learner.email},P,T,2026-09-12,2026-09-13,8,8\n"
    _upload(client, "outside", text)
    client.post("/admin/imports/", {"confirm": "1"})

    page = _upload(client, "outside", text).content.decode()
    client.post("/admin/imports/", {"confirm": "1"})

    assert _summary(page, "duplicates") == "1"
    assert OutsideTraining.objects.count() == 1


def test_a_wrong_header_is_refused_before_any_row(client, registrar):
    client.force_login(registrar)

    page = _upload(client, "attendance", "email,day,hours\nx,y,z\n").content.decode()

    assert "The first line must be exactly: offering,date,learner_email,hours" in page


def test_attendance_rows_record_hours_for_confirmed_learners_only(
    client, registrar, instructor, learner, other_learner
):
    offering = catalog_offering(
        first_day=dt.date(2026, 11, 20), instructors=[instructor], status="closed"
    )
    Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    client.force_login(registrar)
    text = ("offering,date,learner_email,hours\n"
            f"{offering.pk},2026-11-20,{learner.email},9\n"
            f"{offering.pk},2026-11-21,{learner.email},9.5\n"
            f"{offering.pk},2026-11-21,{other_learner.email},9\n"
            f"{offering.pk},2026-11-25,{learner.email},9\n")  # fmt: skip

    page = _upload(client, "attendance", text).content.decode()
    client.post("/admin/imports/", {"confirm": "1"})

    assert "Line 3:</strong> hours: at most the day&#x27;s 9 hours." in page
    assert "Line 4:</strong> the learner is not a confirmed learner of this offering." in page
    assert "Line 5:</strong>" in page  # 25 November: no course day, and in the future
    entry = HoursEntry.objects.get()
    assert (entry.learner, entry.hours, entry.date, entry.recorded_by) == (
        learner,
        Decimal(9),
        dt.date(2026, 11, 20),
        registrar,
    )


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_import(client, request, persona, learner):
    client.force_login(request.getfixturevalue(persona))

    _upload(client, "outside", OUTSIDE + f"{learner.email},P,T,2026-09-12,2026-09-13,8,8\n")
    client.post("/admin/imports/", {"confirm": "1"})

    assert not OutsideTraining.objects.exists()


@pytest.mark.parametrize(
    "hours", ["NaN", "Infinity", "-Infinity", "sNaN", "1e10", "²", "٣", "100000", "25", "-8"]
)
def test_unusable_hours_are_a_row_error_and_nothing_is_written(client, registrar, learner, hours):
    client.force_login(registrar)
    text = OUTSIDE + f"{learner.email},P,T,2026-09-13,2026-09-13,{hours},0\n"

    page = _upload(client, "outside", text, mode="none")
    confirmed = client.post("/admin/imports/", {"confirm": "1"}, follow=True)

    assert page.status_code == 200 and confirmed.status_code == 200
    assert "Line 2:</strong> hours:" in page.content.decode() or (
        "Line 2:</strong> 13 September 2026 would hold" in page.content.decode()
    )
    assert _summary(page.content.decode(), "errors") == "1"
    assert not OutsideTraining.objects.exists() and not HoursEntry.objects.exists()


def test_an_offering_number_in_other_digits_is_a_row_error(client, registrar, learner):
    client.force_login(registrar)

    page = _upload(
        client, "attendance", f"offering,date,learner_email,hours\n²,2026-11-20,{learner.email},9\n"
    )

    assert "Line 2:</strong> offering ² has no course day" in page.content.decode()


def test_rows_of_one_file_count_together_toward_24_hours_a_day(client, registrar, learner):
    client.force_login(registrar)
    text = OUTSIDE + (
        f"{learner.email},P,Morning,2026-09-13,2026-09-13,16,0\n"
        f"{learner.email},P,Evening,2026-09-13,2026-09-13,16,0\n"
    )

    page = _upload(client, "outside", text).content.decode()
    client.post("/admin/imports/", {"confirm": "1"})

    assert "Line 3:</strong> 13 September 2026 would hold 32 hours" in page
    assert _summary(page, "valid") == "1"
    assert list(OutsideTraining.objects.values_list("title", flat=True)) == ["Morning"]


def test_attendance_on_a_day_full_of_outside_training_is_refused_in_the_preview(
    client, registrar, instructor, learner
):
    offering = catalog_offering(
        first_day=dt.date(2026, 11, 20), instructors=[instructor], status="closed"
    )
    Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    client.force_login(registrar)
    _upload(client, "outside", OUTSIDE + f"{learner.email},P,T,2026-11-20,2026-11-20,20,0\n")
    client.post("/admin/imports/", {"confirm": "1"})

    page = _upload(
        client,
        "attendance",
        f"offering,date,learner_email,hours\n{offering.pk},2026-11-20,{learner.email},9\n",
    ).content.decode()
    client.post("/admin/imports/", {"confirm": "1"})

    assert "Line 2:</strong> 20 November 2026 would hold 29 hours" in page
    assert HoursEntry.objects.filter(course_day__isnull=False).count() == 0


def test_each_learner_sees_only_their_own_row_and_registrars_the_whole_file(
    client, registrar, learner, other_learner
):
    client.force_login(registrar)
    text = OUTSIDE + (
        f"{learner.email},Myopain Seminars,DN Level 1,2026-09-12,2026-09-13,16.5,12\n"
        f"{other_learner.email},Kinetacore,Functional DN,2026-10-03,2026-10-04,14,14\n"
    )
    _upload(client, "outside", text)
    client.post("/admin/imports/", {"confirm": "1"})
    import_id = ModelLogEntry.objects.get(action="dn.import").data["import"]
    original = f"/admin/imports/{import_id}/original.csv"

    for who, mine, theirs in [(learner, "Myopain", other_learner.email),
                              (other_learner, "Kinetacore", learner.email)]:  # fmt: skip
        client.force_login(who)
        training = OutsideTraining.objects.get(learner=who)
        evidence = client.get(f"/me/outside-training/{training.pk}/evidence/").getvalue().decode()
        assert mine in evidence and who.email in evidence and import_id in evidence
        assert f",{theirs}," not in evidence
        assert len(evidence.strip().splitlines()) == 2  # the header and their row
        refused = client.get(original)  # every /admin/ URL sends non-staff to their own page
        assert (refused.status_code, refused["Location"]) == (302, "/me/")

    client.force_login(registrar)
    assert b"".join(client.get(original).streaming_content).decode() == text
    assert original in client.get("/admin/imports/").content.decode()


def test_a_training_imported_with_the_whole_file_as_evidence_is_withheld_from_its_learner(
    client, registrar, learner
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("imports/rows.csv", ContentFile(b"everyone's rows"))
    training = OutsideTraining.objects.create(
        learner=learner, provider="P", title="T", started_on=dt.date(2026, 9, 12),
        ended_on=dt.date(2026, 9, 13), hours=8, in_person_hours=8, evidence=name,
        evidence_type="text/csv",
    )  # fmt: skip
    url = f"/me/outside-training/{training.pk}/evidence/"

    client.force_login(learner)
    assert client.get(url).status_code == 404
    client.force_login(registrar)
    assert client.get(url).status_code == 200


def test_attendance_imported_completes_the_seat_and_issues_the_certificate_as_the_roster_does(
    client, registrar, learner, instructor, program, django_capture_on_commit_callbacks
):
    from certification.models import Certificate
    from tests.certification.helpers import dn2_to_attend

    seat = dn2_to_attend(client, learner, instructor)  # passed, only DN-2's hours missing
    client.force_login(registrar)
    text = "offering,date,learner_email,hours\n" + "".join(
        f"{seat.offering_id},2026-11-{day},{learner.email},9\n" for day in (20, 21, 22)
    )
    _upload(client, "attendance", text)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/imports/", {"confirm": "1"})

    seat.refresh_from_db()
    assert seat.status == "completed"
    assert Certificate.objects.get(learner=learner).hours == Decimal(54)
    entry = HoursEntry.objects.filter(learner=learner, course_day__offering=seat.offering).first()
    assert entry.recorded_by == registrar and entry.note.startswith("Imported (import ")
