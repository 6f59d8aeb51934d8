"""The registrar's exports page: choose a report, a format and filters; the file downloads and
the export is logged (who, which report, which filters, how many rows)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from wagtail.log_actions import log

from accounts.roles import user_is_staff_member
from courses.models import Course
from learners.forms import DATE_INPUT
from learners.jurisdictions import states_and_dc

from .exports import EXPORTS, Filters, export_csv, export_xlsx

EXPORT_LOG_ACTION = "dn.export"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        export = EXPORTS[data["report"]]
        filters = Filters(data["start"], data["end"], data["course"], data["state"])
        write = export_csv if data["file_format"] == "csv" else export_xlsx
        content, rows = write(export, filters)
        log(instance=request.user, action=EXPORT_LOG_ACTION, user=request.user, data={
            "report": data["report"], "format": data["file_format"], "rows": rows,
            "personal_data": export.personal,
            "filters": {k: str(v) for k, v in filters.__dict__.items() if v},
        })  # fmt: skip
        response = HttpResponse(content, content_type=CONTENT_TYPES[data["file_format"]])
        name = f"{data['report']}-{timezone.localdate():%Y-%m-%d}.{data['file_format']}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "operations/exports.html", {"form": form})
