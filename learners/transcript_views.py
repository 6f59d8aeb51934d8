"""The learner's transcript: every ledger entry, as a PDF to hand a board and as CSV."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from config.dates import provider_moment, provider_today

from .ledger import transcript_lines
from .transcript_pdf import transcript_pdf_response

CSV_HEADER = [
    "entry",
    "date",
    "source",
    "mode",
    "hours",
    "recorded_by",
    "recorded_at",
    "corrects",
    "note",
]


@login_required
def transcript_pdf(request: HttpRequest) -> HttpResponse:
    """The signed-in learner's own transcript, from storage (learners/transcript_pdf.py)."""
    return transcript_pdf_response(request, request.user)


@login_required
def transcript_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="transcript-{provider_today():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for line in transcript_lines(learner=request.user):
        entry = line.entry
        writer.writerow([
            entry.pk, entry.date.isoformat(), line.source, entry.get_mode_display(),
            f"{entry.hours:f}", line.recorded_by,
            provider_moment(entry.recorded_at).isoformat(timespec="minutes"),
            entry.corrects_id or "", entry.note,
        ])  # fmt: skip
    return response
