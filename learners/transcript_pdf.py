"""The learner's PDF transcript, rendered once per version and served from storage (issue 17:
a 1,000-entry transcript took 10-15 s to render in the request). Its bytes are a function of
`transcript_facts` alone: the learner's name and email, every ledger entry, and the totals as
of the record's date, the day of the latest ledger entry (not the day of the download), so the
same ledger gives the same file. The facts' SHA-256 names the file: a new entry, correction or
name is a new key, never a stale file. The ledger's writer and the profile enqueue the render
(`transcript_pdf_render_later`); a download finds the current file or renders it once, under
the learner's row lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import partial

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.tasks import task

from accounts.models import User
from config.dates import provider_moment
from config.pdf import pdf_render
from config.stored_pdf import (
    StoredPdf,
    facts_key,
    stored_pdf,
    stored_pdf_keep,
    stored_pdf_response,
    template_digest,
)

from . import ledger  # the module: its writers call back here to render
from .hours import format_hours
from .selectors import learner_display_name

TEMPLATE = "learners/transcript_pdf.html"
STYLESHEET = "learners/transcript_pdf.css"
FOLDER = "transcripts"


@dataclass(frozen=True)
class TranscriptRow:
    number: int
    date: dt.date
    source: str  # a correction's says which entry it corrects
    hours: str
    mode: str
    recorded: str  # by whom, when
    note: str
    correction: bool


@dataclass(frozen=True)
class TranscriptFacts:
    """Everything the PDF shows."""

    name: str
    email: str
    as_of: dt.date | None  # the day of the latest entry; None for an empty ledger
    totals: ledger.HoursTotals
    rows: list[TranscriptRow]


def _recorded(line: ledger.TranscriptLine) -> str:
    return f"{line.recorded_by}, {provider_moment(line.entry.recorded_at):%Y-%m-%d %H:%M}"


def transcript_facts(learner: User) -> TranscriptFacts:
    lines = ledger.transcript_lines(learner=learner)
    rows = [
        TranscriptRow(
            number=line.entry.pk, date=line.entry.date, source=line.source,
            hours=format_hours(line.entry.hours), mode=line.entry.get_mode_display().lower(),
            recorded=_recorded(line),
            note=line.entry.note, correction=line.entry.corrects_id is not None,
        )
        for line in lines
    ]  # fmt: skip
    latest = max((line.entry.recorded_at for line in lines), default=None)
    as_of = provider_moment(latest).date() if latest else None
    # An empty ledger has no record date, and zero hours on any.
    totals = ledger.hours_totals(learner=learner, as_of=as_of or dt.date.min)
    return TranscriptFacts(learner_display_name(learner), learner.email, as_of, totals, rows)


def transcript_pdf(facts: TranscriptFacts) -> bytes:
    return pdf_render(TEMPLATE, {"t": facts}, stylesheet=STYLESHEET)


def _stored(learner_id: int, facts: TranscriptFacts) -> StoredPdf:
    key = facts_key({"template": template_digest(TEMPLATE, STYLESHEET), **asdict(facts)})
    return stored_pdf(f"{FOLDER}/{learner_id}", key)


def _learner(learner_id: int, *, lock: bool = False) -> User:
    learners = User.objects.select_related("learner_profile")
    if lock:  # the user's row only: the profile may not exist
        learners = learners.select_for_update(of=("self",))
    return learners.get(pk=learner_id)


@transaction.atomic
def transcript_pdf_store(*, learner_id: int) -> StoredPdf:
    """Render and store the current version unless stored, under the learner's row lock, so
    concurrent downloads and the task render it once; earlier versions are removed."""
    learner = _learner(learner_id, lock=True)
    facts = transcript_facts(learner)
    return stored_pdf_keep(_stored(learner_id, facts), partial(transcript_pdf, facts))


@task()
def transcript_pdf_render(*, learner_id: int) -> str:
    return transcript_pdf_store(learner_id=learner_id).name


def transcript_pdf_render_later(*, learner_id: int) -> None:
    """Render the learner's transcript in the task worker once the change commits; called by
    every writer of what it shows (the ledger's entries, the learner's name)."""
    transaction.on_commit(partial(transcript_pdf_render.enqueue, learner_id=learner_id))


def transcript_pdf_response(request: HttpRequest, learner: User) -> HttpResponse:
    """The learner's current transcript from storage (rendered now if missing), with an ETag."""
    learner = _learner(learner.pk)
    facts = transcript_facts(learner)
    filename = f"transcript-{facts.as_of:%Y-%m-%d}.pdf" if facts.as_of else "transcript.pdf"
    return stored_pdf_response(
        request, _stored(learner.pk, facts), filename=filename, attachment=False,
        store=partial(transcript_pdf_store, learner_id=learner.pk),
    )  # fmt: skip
