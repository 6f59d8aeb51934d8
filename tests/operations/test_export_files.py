"""XLSX exports are built by the task worker: the registrar who asked sees "being prepared",
then downloads the file; nobody else (no other staff member, no learner) sees or downloads
it; the export is logged when the file is made."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from operations.export_files import export_files_expire
from operations.models import ExportFile
from tests.operations.test_exports import operations_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "operations_data")]


@pytest.fixture
def asked(client, registrar, django_capture_on_commit_callbacks):
    """The registrar's request for the roster as XLSX, with the worker's task held back."""
    client.force_login(registrar)
    with django_capture_on_commit_callbacks() as worker:
        response = client.get(
            "/admin/exports/", {"report": "roster", "file_format": "xlsx", "course": "DN-1"}
        )
    return response["Location"], worker


def test_it_is_prepared_by_the_worker_then_offered_for_download(client, asked):
    page, worker = asked
    assert "Your export is being prepared" in client.get(page).content.decode()
    assert client.get(page + "download/").status_code == 404
    assert not ModelLogEntry.objects.filter(action="dn.export").exists()

    for task in worker:
        task()

    assert "Your export is ready: 2 rows." in client.get(page).content.decode()
    download = client.get(page + "download/")
    sheet = load_workbook(io.BytesIO(download.getvalue())).active
    assert [c.value for c in next(sheet.iter_rows())][:2] == ["course", "offering"]
    assert download["Content-Disposition"] == 'attachment; filename="roster-2026-11-23.xlsx"'
    logged = ModelLogEntry.objects.get(action="dn.export")
    assert (logged.data["format"], logged.data["rows"], logged.data["filters"]) == (
        "xlsx",
        2,
        {"course": "DN-1"},
    )


@pytest.mark.parametrize("persona", ["superuser", "learner", "instructor"])
def test_it_hides_the_export_from_everyone_but_the_registrar_who_asked(
    client, request, asked, persona
):
    page, worker = asked
    for task in worker:
        task()
    client.force_login(request.getfixturevalue(persona))

    for url in (page, page + "download/"):
        assert client.get(url).status_code in (302, 403, 404)


def test_an_unknown_export_is_a_404(client, registrar):
    client.force_login(registrar)

    response = client.get("/admin/exports/00000000-0000-4000-8000-000000000000/")

    assert response.status_code == 404


def test_its_file_is_deleted_after_the_kept_days_and_its_page_says_so(
    client, asked, settings, django_capture_on_commit_callbacks
):
    page, worker = asked
    for task in worker:
        task()
    export = ExportFile.objects.get()
    stored = export.file.name
    made = export.finished_at
    settings.EXPORT_FILE_DAYS = 7

    with django_capture_on_commit_callbacks(execute=True):
        assert export_files_expire(now=made + dt.timedelta(days=6)) == 0
    assert default_storage.exists(stored)

    out = io.StringIO()
    with (
        time_machine.travel(made + dt.timedelta(days=7, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("expire_export_files", stdout=out)  # the scheduler's job, by hand
        call_command("expire_export_files", stdout=out)  # again: nothing left to do

    assert out.getvalue() == "1 export file(s) deleted.\n0 export file(s) deleted.\n"
    assert not default_storage.exists(stored)
    export.refresh_from_db()
    assert export.status == ExportFile.Status.EXPIRED and export.rows == 2  # the record stays
    assert "file was deleted 7 days after it was made" in client.get(page).content.decode()
    assert client.get(page + "download/").status_code == 404
    assert ModelLogEntry.objects.filter(action="dn.export").count() == 1
