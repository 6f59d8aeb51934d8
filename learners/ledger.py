"""Writing and reading the training-hours ledger (DESIGN.md 2, 3.1). Entries are only ever
added: a correction is a new entry against the one it corrects, with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Sum

from accounts.models import User
from config.errors import ApplicationError

from . import transcript_pdf
from .hours import format_hours, is_quarter_hours
from .hours_rule import Claim, hours_problems
from .models import HoursEntry, OutsideTraining

NOT_QUARTER_HOURS = "Hours must be a positive multiple of 0.25."
REASON_NEEDED = "A correction needs a reason."
NOT_A_CHANGE = "The entry already counts {hours} hours: nothing to correct."
CORRECT_THE_ORIGINAL = "Correct the original entry, not a correction."


class LedgerError(ApplicationError):
    code = "ledger_refused"


def _is_quarter_hours(hours: Decimal) -> bool:
    return hours > 0 and is_quarter_hours(hours)


def hours_on_record(*, learner_id: int, first: dt.date, last: dt.date) -> list[Claim]:
    """The learner's entries that fall on a day from `first` to `last`, corrections included:
    an outside training's entries over its days, any other on its date."""
    entries = HoursEntry.objects.filter(learner_id=learner_id).filter(
        Q(date__range=(first, last))
        | Q(outside_training__started_on__lte=last, outside_training__ended_on__gte=first)
    )
    return [
        Claim(started or date, ended or date, hours)
        for date, hours, started, ended in entries.values_list(
            "date", "hours", "outside_training__started_on", "outside_training__ended_on"
        )
    ]


def hours_plausibility_problems(
    *, learner_id: int, new: list[Claim], today: dt.date, pending: list[Claim] | None = None
) -> list[str]:
    """The plausibility rule (hours_rule.py) for `new` hours beside the learner's ledger and
    `pending` hours checked but not yet written (earlier rows of the same import)."""
    if not new:
        return []
    pending = pending or []
    first = min(c.first for c in [*new, *pending])
    last = max(c.last for c in [*new, *pending])
    on_record = hours_on_record(learner_id=learner_id, first=first, last=last)
    return hours_problems(new, on_record=[*on_record, *pending], today=today)


def _ensure_plausible(learner_id: int, claim: Claim, today: dt.date) -> None:
    # Lock the learner so two writers cannot both fill the same day.
    User.objects.select_for_update().values_list("pk", flat=True).get(pk=learner_id)
    if problems := hours_plausibility_problems(learner_id=learner_id, new=[claim], today=today):
        raise LedgerError(problems)


def _span(date: dt.date, outside_training_id: int | None) -> tuple[dt.date, dt.date]:
    """The days an entry's hours were earned on: an outside training's, else its date."""
    if outside_training_id is None:
        return date, date
    return (
        OutsideTraining.objects.filter(pk=outside_training_id)
        .values_list("started_on", "ended_on")
        .get()
    )


@transaction.atomic
def hours_entry_record(
    *,
    learner: User,
    date: dt.date,
    hours: Decimal,
    mode: str,
    source: str,
    recorded_by: User,
    today: dt.date,
    course_day_id: int | None = None,
    outside_training_id: int | None = None,
    note: str = "",
) -> HoursEntry:
    """Add hours a learner earned; refused for non-quarter hours and implausible ones (a
    future date, more than 24 hours in a day: hours_rule.py)."""
    if not _is_quarter_hours(hours):
        raise LedgerError(NOT_QUARTER_HOURS)
    _ensure_plausible(learner.pk, Claim(*_span(date, outside_training_id), hours), today)
    entry = HoursEntry(
        learner=learner, date=date, hours=hours, mode=mode, source=source,
        course_day_id=course_day_id, outside_training_id=outside_training_id,
        recorded_by=recorded_by, note=note,
    )  # fmt: skip
    entry.full_clean()
    return _entry_append(entry)


def _entry_append(entry: HoursEntry) -> HoursEntry:
    """The one place an entry joins the ledger: what shows the ledger is renewed on commit."""
    entry.save()
    transcript_pdf.transcript_pdf_render_later(learner_id=entry.learner_id)
    return entry


def hours_counted(entry: HoursEntry) -> Decimal:
    """What an original entry counts now: its hours plus all its corrections."""
    corrections = entry.corrections.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return entry.hours + corrections


@transaction.atomic
def hours_entry_correct(
    *, entry: HoursEntry, hours: Decimal, reason: str, recorded_by: User
) -> HoursEntry:
    """Make `entry` count `hours` from now on (0 reverses it), by adding the difference as a
    correction entry on the same date and mode, with the reason."""
    if entry.corrects_id is not None:
        raise LedgerError(CORRECT_THE_ORIGINAL)
    if not reason.strip():
        raise LedgerError(REASON_NEEDED)
    if not is_quarter_hours(hours):
        raise LedgerError(NOT_QUARTER_HOURS)
    # Lock the original so two corrections cannot both compute from the same total.
    entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    now_counted = hours_counted(entry)
    if hours == now_counted:
        raise LedgerError(NOT_A_CHANGE.format(hours=format_hours(now_counted)))
    if hours > now_counted:  # more hours on the entry's days: held to the rule again
        first, last = _span(entry.date, entry.outside_training_id)
        # Its date was accepted when the entry was recorded: only the 24 hours are in question.
        _ensure_plausible(entry.learner_id, Claim(first, last, hours - now_counted), entry.date)
    correction = HoursEntry(
        learner_id=entry.learner_id, date=entry.date, hours=hours - now_counted, mode=entry.mode,
        source=HoursEntry.Source.CORRECTION, course_day_id=entry.course_day_id,
        outside_training_id=entry.outside_training_id, corrects=entry,
        recorded_by=recorded_by, note=reason.strip(),
    )  # fmt: skip
    return _entry_append(correction)


@dataclass(frozen=True)
class HoursTotals:
    total: Decimal
    in_person: Decimal
    online: Decimal
    from_courses: Decimal
    from_outside: Decimal


def hours_totals(*, learner: User, as_of: dt.date) -> HoursTotals:
    """The learner's hours up to `as_of`, corrections included, in one aggregate query.
    A correction counts under the source of the entry it corrects."""
    entries = HoursEntry.objects.filter(learner=learner, date__lte=as_of)
    course = Q(source=HoursEntry.Source.COURSE_DAY) | Q(
        corrects__source=HoursEntry.Source.COURSE_DAY
    )
    outside = Q(source=HoursEntry.Source.OUTSIDE) | Q(corrects__source=HoursEntry.Source.OUTSIDE)
    sums = entries.aggregate(
        total=Sum("hours"),
        in_person=Sum("hours", filter=Q(mode=HoursEntry.Mode.IN_PERSON)),
        online=Sum("hours", filter=Q(mode=HoursEntry.Mode.ONLINE)),
        from_courses=Sum("hours", filter=course),
        from_outside=Sum("hours", filter=outside),
    )
    return HoursTotals(**{key: value or Decimal(0) for key, value in sums.items()})


@dataclass(frozen=True)
class TranscriptLine:
    entry: HoursEntry
    source: str
    recorded_by: str


def _describe(entry: HoursEntry) -> str:
    if entry.course_day_id:
        what = f"{entry.course_code} {entry.course_title}, {entry.course_city}"
    elif entry.outside_training_id:
        training = entry.outside_training
        what = f"{training.title} ({training.provider})"
    else:
        what = entry.get_source_display()
    if entry.corrects_id:
        return f"Correction of entry {entry.corrects_id}: {what}"
    return what


def transcript_lines(*, learner: User) -> list[TranscriptLine]:
    """Every entry of the learner's ledger, oldest first, corrections as their own lines;
    each with its course, venue and day's sign-off, or its outside training and reviewer."""
    # The course's facts as columns, not related objects: a course and an offering are
    # ClusterableModels, whose construction per entry cost seconds on a long ledger.
    offering = "course_day__offering"
    entries = (
        HoursEntry.objects.filter(learner=learner)
        .select_related(
            "outside_training__reviewed_by__learner_profile", "recorded_by",
            "course_day__sign_off__signed_off_by__learner_profile",
        )
        .annotate(
            course_code=F(f"{offering}__course__code"),
            course_title=F(f"{offering}__course__title"),
            course_city=F(f"{offering}__venue__city"),
            venue_name=F(f"{offering}__venue__name"),
            venue_region=F(f"{offering}__venue__region"),
        )
    )  # fmt: skip
    return [
        TranscriptLine(e, _describe(e), e.recorded_by.get_full_name() or e.recorded_by.email)
        for e in entries.order_by("date", "pk")
    ]
