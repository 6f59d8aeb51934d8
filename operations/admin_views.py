"""The registrar's exports and imports. An export downloads and is logged (who, which report,
which filters, how many rows); an import is previewed row by row, then confirmed, and logged."""

from __future__ import annotations

import base64
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts.models import User
from accounts.roles import user_is_staff_member
from config.dates import provider_today
from config.errors import error_on_form
from courses.models import Course
from learners.forms import DATE_INPUT
from learners.jurisdictions import states_and_dc

from . import history
from .export_files import export_file_get_for_user, export_file_request, export_log
from .exports import EXPORTS, Filters, export_csv_lines
from .history import TRACKED
from .imports import (
    KINDS,
    ImportFileError,
    import_id_new,
    original_path,
    original_save,
    rows_read,
    rows_write,
)
from .models import ExportFile

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportForm(forms.Form):
    report = forms.ChoiceField(choices=[(key, e.title) for key, e in EXPORTS.items()])
    file_format = forms.ChoiceField(
        label="Format", choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")]
    )
    start = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    course = forms.ChoiceField(required=False)
    state = forms.ChoiceField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", "All courses")] + [
            (c, c) for c in Course.objects.values_list("code", flat=True)
        ]
        self.fields["state"].choices = [("", "All states"), *states_and_dc().items()]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The end of the range is before its start.")
        return cleaned


def export_view(request: HttpRequest) -> HttpResponse:
    """CSV streams at once, whatever its size; an XLSX is built by the task worker and
    offered on its own page when ready."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(data["start"], data["end"], data["course"], data["state"])
        if data["file_format"] == "xlsx":
            export = export_file_request(user=request.user, report=data["report"], filters=filters)
            return redirect("operations_export_file", pk=export.pk)
        response = StreamingHttpResponse(
            _csv_logged(request.user, data["report"], filters), content_type=CSV_TYPE
        )
        name = f"{data['report']}-{provider_today():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "operations/exports.html", {"form": form})


def _csv_logged(user: User, report: str, filters: Filters) -> Iterator[bytes]:
    """The CSV's lines; logged with the rows sent once the response ends (or is cut off)."""
    counted = [0]
    try:
        yield from export_csv_lines(EXPORTS[report], filters, counted)
    finally:
        export_log(user=user, report=report, file_format="csv", filters=filters, rows=counted[0])


def export_file_view(request: HttpRequest, pk: str) -> HttpResponse:
    """The registrar's own XLSX export: being prepared, ready to download, or failed."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    export = export_file_get_for_user(user=request.user, pk=pk)
    return render(request, "operations/export_file.html", {
        "export": export, "title": EXPORTS[export.report].title,
        "export_file_days": settings.EXPORT_FILE_DAYS,
    })  # fmt: skip


def export_file_download(request: HttpRequest, pk: str) -> FileResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    export = export_file_get_for_user(user=request.user, pk=pk)
    if export.status != ExportFile.Status.READY:
        raise Http404("This export is not ready.")
    return FileResponse(
        export.file.open("rb"), as_attachment=True, content_type=XLSX_TYPE,
        filename=f"{export.report}-{export.requested_at:%Y-%m-%d}.xlsx",
    )  # fmt: skip


IMPORT_LOG_ACTION = "dn.import"
SESSION_KEY = "operations_import"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=[(k, v.title) for k, v in KINDS.items()]
    )
    file = forms.FileField(help_text="CSV, UTF-8, at most 2 MB; the first line is the header.")
    mode = forms.ChoiceField(
        label="When some rows have errors", widget=forms.RadioSelect, initial="valid",
        choices=[("valid", "Write every valid row"), ("none", "Write nothing at all")],
    )  # fmt: skip


def import_view(request: HttpRequest) -> HttpResponse:
    """Upload, preview every row with its errors, then confirm."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and "confirm" in request.POST and pending:
        return _import_confirm(request, pending)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        content = upload.read()
        try:
            rows = rows_read(KINDS[kind], content, today=provider_today())
        except ImportFileError as error:
            error_on_form(form, error, "file")
        else:
            request.session[SESSION_KEY] = {
                "kind": kind, "name": upload.name, "mode": form.cleaned_data["mode"],
                "content": base64.b64encode(content).decode(),
            }  # fmt: skip
            return render(request, "operations/import_preview.html", {
                "rows": rows, "kind": KINDS[kind], "name": upload.name,
                "mode": form.cleaned_data["mode"], "valid": sum(r.valid for r in rows),
                "errors": sum(bool(r.errors) for r in rows),
                "duplicates": sum(r.duplicate for r in rows),
            })  # fmt: skip
    recent = (
        ModelLogEntry.objects.filter(action=IMPORT_LOG_ACTION)
        .select_related("user")
        .order_by("-timestamp")[:10]
    )
    return render(request, "operations/import.html", {"form": form, "recent": recent})


def import_original_view(request: HttpRequest, import_id: str) -> FileResponse:
    """An import's original file, as uploaded: registrars only (it names every learner)."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    path = original_path(import_id)
    if not default_storage.exists(path):
        raise Http404("No import has this id.")
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, content_type="text/csv",
        filename=f"import-{import_id}.csv",
    )  # fmt: skip


def _import_confirm(request: HttpRequest, pending: dict) -> HttpResponse:
    del request.session[SESSION_KEY]
    kind, content = KINDS[pending["kind"]], base64.b64decode(pending["content"])
    rows = rows_read(kind, content, today=provider_today())  # checked again, as of now
    import_id = import_id_new()
    source = original_save(import_id, content)
    written = rows_write(kind, rows, registrar=request.user, import_id=import_id,
                         all_or_nothing=pending["mode"] == "none")  # fmt: skip
    skipped = sum(r.duplicate for r in rows)
    failed = [r.line for r in rows if r.errors]
    log(instance=request.user, action=IMPORT_LOG_ACTION, user=request.user, data={
        "kind": pending["kind"], "import": import_id, "name": pending["name"], "file": source,
        "written": written, "duplicates": skipped,
        "lines_with_errors": failed, "mode": pending["mode"],
    })  # fmt: skip
    if failed and pending["mode"] == "none":
        have = pluralize(len(failed), "has,have")
        messages.error(request, f"Nothing was written: {_lines(failed)} {have} errors.")
    else:
        left_out = f", {_lines(failed)} left out" if failed else ""
        messages.success(
            request,
            f"{written} row{pluralize(written)} written, {skipped} on record skipped{left_out}.",
        )
    return redirect("operations_imports")


def _lines(numbers: list[int]) -> str:
    """The line numbers as a phrase: "line 3", "lines 3, 4"."""
    return f"line{pluralize(len(numbers))} {', '.join(map(str, numbers))}"


def changes_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A tracked row's changes (operations/history.py), newest first."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    if kind not in TRACKED:
        raise Http404("Changes are kept for rules, courses, offerings and venues.")
    tracked = TRACKED[kind]
    instance = get_object_or_404(tracked.model, pk=pk)
    return render(request, "operations/changes.html", {
        "object": instance, "changes": history.changes(tracked, pk),
    })  # fmt: skip
