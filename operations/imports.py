"""CSV imports by registrars: outside training (verified on import) and attendance. Every row
is checked and shown with its line number before anything is written; then either every valid
row or none is written, as the registrar chose. A row already on record is skipped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Attendance, CourseDay, Enrollment
from courses.schedule import format_hours
from learners.ledger import LedgerError, hours_entry_record
from learners.models import HoursEntry, OutsideTraining
from learners.services import outside_training_review

MAX_BYTES = 2 * 1024 * 1024
WRONG_HEADER = "The first line must be exactly: {header}"
NOT_UTF8 = "The file is not UTF-8 text (save it as CSV UTF-8)."
TOO_BIG = "The file is over 2 MB; split it."
EMPTY = "The file has no rows under its header."


class ImportFileError(Exception):
    pass


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    duplicate: bool = False
    parsed: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors and not self.duplicate


def _decimal(value: str, name: str, errors: list[str], *, allow_zero: bool) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(f"{name}: “{value}” is not a number.")
        return None
    if number < 0 or (number == 0 and not allow_zero) or (number * 4) % 1:
        errors.append(f"{name}: {value} is not a positive multiple of 0.25.")
        return None
    return number


def _date(value: str, name: str, errors: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{name}: “{value}” is not a date (YYYY-MM-DD).")
        return None


def _learner(email: str, errors: list[str]) -> User | None:
    learner = User.objects.filter(email__iexact=email.strip()).first()
    if learner is None:
        errors.append(f"learner_email: no account with “{email}”.")
    return learner


def check_outside(row: Row, today: dt.date) -> None:
    v, errors = row.values, row.errors
    learner = _learner(v["learner_email"], errors)
    started = _date(v["started_on"], "started_on", errors)
    ended = _date(v["ended_on"], "ended_on", errors)
    hours = _decimal(v["hours"], "hours", errors, allow_zero=False)
    in_person = _decimal(v["in_person_hours"], "in_person_hours", errors, allow_zero=True)
    if not v["provider"].strip() or not v["title"].strip():
        errors.append("provider and title are both needed.")
    if started and ended and ended < started:
        errors.append("ended_on is before started_on.")
    if ended and ended > today:
        errors.append("ended_on is in the future.")
    if hours is not None and in_person is not None and in_person > hours:
        errors.append("in_person_hours exceed hours.")
    if errors:
        return
    row.parsed = {
        "learner": learner, "provider": v["provider"].strip(), "title": v["title"].strip(),
        "started_on": started, "ended_on": ended, "hours": hours, "in_person_hours": in_person,
    }  # fmt: skip
    row.duplicate = OutsideTraining.objects.filter(
        learner=learner, provider__iexact=row.parsed["provider"], title__iexact=row.parsed["title"],
        started_on=started, ended_on=ended,
    ).exclude(status=OutsideTraining.Status.REJECTED).exists()  # fmt: skip


def check_attendance(row: Row, today: dt.date) -> None:
    v, errors = row.values, row.errors
    learner = _learner(v["learner_email"], errors)
    date = _date(v["date"], "date", errors)
    hours = _decimal(v["hours"], "hours", errors, allow_zero=False)
    day = None
    if date and v["offering"].isdigit():
        day = CourseDay.objects.filter(offering_id=int(v["offering"]), date=date).first()
    if day is None and date:
        errors.append(f"offering {v['offering']} has no course day on {date:%-d %B %Y}.")
    if date and date > today:
        errors.append("date is in the future.")
    if day and hours is not None and hours > day.scheduled_hours:
        errors.append(f"hours: at most the day's {format_hours(day.scheduled_hours)} hours.")
    enrollment = None
    if day and learner:
        enrollment = Enrollment.objects.filter(
            learner=learner, offering_id=day.offering_id, status__in=Enrollment.SEAT_STATUSES
        ).first()
        if enrollment is None:
            errors.append("the learner is not a confirmed learner of this offering.")
    if errors:
        return
    row.parsed = {"learner": learner, "day": day, "enrollment": enrollment, "hours": hours}
    row.duplicate = HoursEntry.objects.filter(learner=learner, course_day=day).exists()


def write_outside(row: Row, registrar: User, source: str) -> None:
    """The training, with the imported file as its evidence, verified by the registrar."""
    training = OutsideTraining.objects.create(
        **row.parsed, evidence=source, evidence_type="text/csv"
    )
    outside_training_review(
        registrar=registrar, training_id=training.pk, verified=True,
        reason=f"Imported from {source}, line {row.line}",
    )  # fmt: skip


def write_attendance(row: Row, registrar: User, source: str) -> None:
    p = row.parsed
    hours_entry_record(
        learner=p["learner"], date=p["day"].date, hours=p["hours"], mode=HoursEntry.Mode.IN_PERSON,
        source=HoursEntry.Source.COURSE_DAY, recorded_by=registrar, today=timezone.localdate(),
        course_day_id=p["day"].pk, note=f"Imported from {source}, line {row.line}",
    )  # fmt: skip
    Attendance.objects.get_or_create(
        course_day=p["day"], enrollment=p["enrollment"], defaults={"recorded_by": registrar}
    )


@dataclass(frozen=True)
class Kind:
    title: str
    header: list[str]
    check: Callable[[Row, dt.date], None]
    write: Callable[[Row, User, str], None]


OUTSIDE_HEADER = [
    "learner_email", "provider", "title", "started_on", "ended_on", "hours", "in_person_hours",
]  # fmt: skip
KINDS = {
    "outside": Kind(
        "Outside training (verified on import)", OUTSIDE_HEADER, check_outside, write_outside
    ),
    "attendance": Kind(
        "Attendance", ["offering", "date", "learner_email", "hours"], check_attendance,
        write_attendance,
    ),
}  # fmt: skip


def rows_read(kind: Kind, content: bytes, *, today: dt.date) -> list[Row]:
    """Every row checked, with its line number (the header is line 1); a row repeated in the
    file counts once."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(TOO_BIG)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(NOT_UTF8) from error
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    if header != kind.header:
        raise ImportFileError(WRONG_HEADER.format(header=",".join(kind.header)))
    rows, seen = [], set()
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = Row(line, dict(zip(kind.header, [c.strip() for c in cells], strict=False)))
        if len(cells) != len(kind.header):
            row.errors.append(f"{len(cells)} values where {len(kind.header)} are expected.")
        else:
            kind.check(row, today)
        key = tuple(row.values.values())
        row.duplicate = row.duplicate or (not row.errors and key in seen)
        seen.add(key)
        rows.append(row)
    if not rows:
        raise ImportFileError(EMPTY)
    return rows


@transaction.atomic
def rows_write(
    kind: Kind, rows: list[Row], *, registrar: User, source: str, all_or_nothing: bool
) -> int:
    """Write the valid rows; with `all_or_nothing`, nothing at all when any row has an error.
    Duplicates are skipped either way. Returns how many rows were written."""
    if all_or_nothing and any(row.errors for row in rows):
        return 0
    written = 0
    for row in rows:
        if row.valid:
            try:
                kind.write(row, registrar, source)
            except LedgerError as error:  # checked again when written
                row.errors.append(str(error))
                if all_or_nothing:
                    transaction.set_rollback(True)
                    return 0
                continue
            written += 1
    return written
