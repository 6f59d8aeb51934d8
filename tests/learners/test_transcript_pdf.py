"""The transcript PDF is rendered once per version of the ledger and served from storage: the
same ledger gives the same bytes whatever the day, a new entry, correction or name shows on
the next download, the task renders it after each ledger change, and a download costs the
same queries for 3 entries or 1,000."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from config import stored_pdf
from learners import transcript_pdf as pdf_module
from learners.ledger import hours_entry_correct, hours_entry_record
from learners.models import HoursEntry, Profession
from learners.transcript_pdf import transcript_facts, transcript_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
TODAY = dt.date(2026, 11, 23)
URL = "/me/transcript.pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Each WeasyPrint render of a transcript (its number of lines), around the real one."""
    rendered: list[int] = []
    real = pdf_module.pdf_render

    def counted(template: str, context: dict, **kwargs) -> bytes:
        rendered.append(len(context["t"].rows))
        return real(template, context, **kwargs)

    monkeypatch.setattr(pdf_module, "pdf_render", counted)
    return rendered


def _download(client, **headers):
    response = client.get(URL, headers=headers)
    response.body = response.getvalue() if response.status_code == 200 else b""
    return response


def _text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _stored_files(learner) -> list[str]:
    return default_storage.listdir(f"transcripts/{learner.pk}")[1]


def test_the_same_ledger_gives_the_same_bytes_on_any_day(learner, class_days):
    today = transcript_pdf(transcript_facts(learner))
    with time_machine.travel(dt.datetime(2027, 5, 2, 15, tzinfo=dt.UTC), tick=False):
        months_later = transcript_pdf(transcript_facts(learner))

    assert today == months_later
    assert "Record as of 23 November 2026" in _text(today)


def test_a_download_with_nothing_stored_renders_and_keeps_it(client, learner, class_days, renders):
    client.force_login(learner)

    first = _download(client)
    second = _download(client)

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    text = _text(first.body)
    assert "Jordan Avery Lee" in text and "All hours: 27" in text
    assert "DN-1 Dry Needling 1, Richmond" in text
    assert first["Content-Disposition"] == 'inline; filename="transcript-2026-11-23.pdf"'
    assert renders == [3]  # the second download was served from storage
    assert second.body == first.body and second["ETag"] == first["ETag"]
    assert int(second["Content-Length"]) == len(first.body)


def test_a_file_over_the_whole_send_size_is_streamed_with_the_same_headers(
    client, learner, class_days, monkeypatch
):
    client.force_login(learner)
    whole = _download(client)
    monkeypatch.setattr(stored_pdf, "SENT_WHOLE_MAX", len(whole.body) - 1)

    streamed = _download(client)

    assert not whole.streaming and streamed.streaming
    assert streamed.body == whole.body and streamed["ETag"] == whole["ETag"]
    for header in ("Content-Length", "Content-Disposition", "Content-Type", "Cache-Control"):
        assert streamed[header] == whole[header], header


def test_it_answers_not_modified_to_the_same_etag(client, learner, class_days, renders):
    client.force_login(learner)
    etag = _download(client)["ETag"]

    again = _download(client, if_none_match=etag)

    assert again.status_code == 304 and not again.content
    assert renders == [3]


def test_a_new_entry_shows_on_the_next_download(client, learner, instructor, class_days):
    client.force_login(learner)
    before = _download(client)

    hours_entry_record(learner=learner, date=TODAY, hours=Decimal("1.5"), mode="online",
                       source="outside", recorded_by=instructor, today=TODAY,
                       note="Webinar")  # fmt: skip
    after = _download(client, if_none_match=before["ETag"])

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "All hours: 28.5" in _text(after.body) and "Webinar" in _text(after.body)
    assert len(_stored_files(learner)) == 1  # the earlier version is removed


def test_a_correction_shows_marked_on_the_next_download(client, learner, instructor, class_days):
    client.force_login(learner)
    before = _download(client)

    hours_entry_correct(entry=class_days[2], hours=Decimal(6), reason="Left at 2 pm",
                        recorded_by=instructor)  # fmt: skip
    after = _download(client, if_none_match=before["ETag"])

    text = _text(after.body)
    assert after.status_code == 200
    assert f"Correction of entry {class_days[2].pk}" in text and "Left at 2 pm" in text
    assert "All hours: 24" in text


def test_the_task_renders_and_stores_it_when_an_entry_is_recorded(
    client, learner, instructor, class_days, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hours_entry_record(learner=learner, date=TODAY, hours=Decimal(2), mode="online",
                           source="outside", recorded_by=instructor, today=TODAY)  # fmt: skip

    assert renders == [4]
    assert len(_stored_files(learner)) == 1
    client.force_login(learner)
    assert "All hours: 29" in _text(_download(client).body)
    assert renders == [4]  # the download found the task's file


def test_entries_recorded_together_have_it_rendered_once(
    learner, instructor, class_days, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for hours in (Decimal(2), Decimal(3)):
            hours_entry_record(learner=learner, date=TODAY, hours=hours, mode="online",
                               source="outside", recorded_by=instructor, today=TODAY)  # fmt: skip

    assert renders == [5]  # one render, of both new entries


def test_a_name_saved_on_the_profile_has_it_rendered_anew(
    client, learner, class_days, renders, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    _download(client)
    pt = Profession.objects.get(code="PT")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/profile/", {"legal_name": "Jordan A. Lee-Park", "profession": pt.pk})

    assert len(renders) == 2
    assert "Jordan A. Lee-Park" in _text(_download(client).body)
    assert len(renders) == 2


def test_another_learner_gets_only_their_own(client, other_learner, class_days):
    client.force_login(other_learner)

    text = _text(_download(client).body)

    assert "No hours recorded yet" in text and "Jordan Avery Lee" not in text
    assert "DN-1" not in text


def test_it_needs_a_login(client, class_days):
    assert client.get(URL).status_code == 302


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _download(client).status_code == 200
    return len(queries)


def test_a_stored_transcript_of_1000_entries_costs_the_queries_of_3(
    client, learner, instructor, class_days, renders
):
    client.force_login(learner)
    _download(client)
    three = _queries(client)
    HoursEntry.objects.bulk_create([
        HoursEntry(learner=learner, date=TODAY - dt.timedelta(days=n % 600), hours=1,
                   mode="online", source="outside", recorded_by=instructor)
        for n in range(997)
    ])  # fmt: skip
    pdf_module.transcript_pdf_store(learner_id=learner.pk)  # as the task would

    assert _queries(client) == three == 3  # learner, entries, totals (the user is kept)
    assert renders == [3, 1000]  # the downloads were served from storage
