"""CSV imports by registrars: outside training (verified on import) and attendance. Every row
is checked and shown with its line number before anything is written; then either every valid
row or none is written, as the registrar chose. A row already on record is skipped.

Each confirmed import gets an id. The original file is kept under it for registrars only;
a learner's imported training keeps as evidence only its own row, with that id."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from certification.programs import certificates_reevaluate_later
from config.errors import ApplicationError
from courses.models import CourseDay, Enrollment
from courses.services.roster import RosterError, roster_save
from learners.hours import format_hours, is_quarter_hours
from learners.hours_rule import Claim
from learners.ledger import hours_plausibility_problems
from learners.models import HoursEntry, OutsideTraining
from learners.services import ReviewError, outside_training_review

MAX_BYTES = 2 * 1024 * 1024
WRONG_HEADER = "The first line must be exactly: {header}"
NOT_UTF8 = "The file is not UTF-8 text (save it as CSV UTF-8)."
TOO_BIG = "The file is over 2 MB; split it."
EMPTY = "The file has no rows under its header."
NOT_HOURS = "{name}: “{value}” is not a number of hours (digits, e.g. 7.5)."
NOT_QUARTERS = "{name}: {value} is not a positive multiple of 0.25."
TOO_MANY_HOURS = "{name}: {value} is more than the 9999.75 hours a row can hold."
MAX_ROW_HOURS = Decimal("9999.75")  # the ledger's hours field: 6 digits, 2 after the point
# Plain digits only: Decimal() would also take NaN, Infinity, 1e10 and other scripts' digits.
HOURS_TEXT = re.compile(r"[0-9]{1,8}(\.[0-9]{1,8})?")
OFFERING_TEXT = re.compile(r"[0-9]{1,9}")

# Hours checked in earlier rows of the same file, by learner: not on the ledger yet, but
# written with this row if the registrar confirms.
Pending = dict[int, list[Claim]]


class ImportFileError(ApplicationError):
    """The file as a whole cannot be read (a row's own errors stay on the row)."""

    code = "import_file_refused"


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


def _hours(value: str, name: str, errors: list[str], *, allow_zero: bool) -> Decimal | None:
    if not HOURS_TEXT.fullmatch(value):
        errors.append(NOT_HOURS.format(name=name, value=value))
        return None
    number = Decimal(value)
    if (number == 0 and not allow_zero) or not is_quarter_hours(number):
        errors.append(NOT_QUARTERS.format(name=name, value=value))
        return None
    if number > MAX_ROW_HOURS:
        errors.append(TOO_MANY_HOURS.format(name=name, value=value))
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


def _check_plausible(
    row: Row, learner: User, claim: Claim, today: dt.date, pending: Pending
) -> None:
    """The ledger's plausibility rule, as the confirmation will apply it, counting the
    learner's earlier rows in this file."""
    row.errors += hours_plausibility_problems(
        learner_id=learner.pk, new=[claim], today=today, pending=pending[learner.pk]
    )
    if not row.errors:
        pending[learner.pk].append(claim)


def check_outside(row: Row, today: dt.date, pending: Pending) -> None:
    v, errors = row.values, row.errors
    learner = _learner(v["learner_email"], errors)
    started = _date(v["started_on"], "started_on", errors)
    ended = _date(v["ended_on"], "ended_on", errors)
    hours = _hours(v["hours"], "hours", errors, allow_zero=False)
    in_person = _hours(v["in_person_hours"], "in_person_hours", errors, allow_zero=True)
    if not v["provider"].strip() or not v["title"].strip():
        errors.append("provider and title are both needed.")
    if started and ended and ended < started:
        errors.append("ended_on is before started_on.")
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
    if not row.duplicate:
        _check_plausible(row, learner, Claim(started, ended, hours), today, pending)


def check_attendance(row: Row, today: dt.date, pending: Pending) -> None:
    v, errors = row.values, row.errors
    learner = _learner(v["learner_email"], errors)
    date = _date(v["date"], "date", errors)
    hours = _hours(v["hours"], "hours", errors, allow_zero=False)
    day = None
    if date and OFFERING_TEXT.fullmatch(v["offering"]):
        day = CourseDay.objects.filter(offering_id=int(v["offering"]), date=date).first()
    if day is None and date:
        errors.append(f"offering {v['offering']} has no course day on {date:%-d %B %Y}.")
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
    if not row.duplicate:
        _check_plausible(row, learner, Claim(date, date, hours), today, pending)


def import_id_new() -> str:
    """An id for a confirmed import: when it ran, and random so it cannot be guessed."""
    return f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


def original_path(import_id: str) -> str:
    """Where an import's original file is kept (media is never served publicly)."""
    return f"imports/{import_id}.csv"


def original_save(import_id: str, content: bytes) -> str:
    return default_storage.save(original_path(import_id), ContentFile(content))


def _own_rows(row: Row, import_id: str) -> ContentFile:
    """One learner's evidence: their row of the file, with the import's id and line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["import", "line", *row.values])
    writer.writerow([import_id, row.line, *row.values.values()])
    return ContentFile(buffer.getvalue().encode("utf-8"))


def write_outside(row: Row, registrar: User, import_id: str) -> None:
    """The training, with its own row as evidence, verified by the registrar."""
    training = OutsideTraining(**row.parsed, evidence_type="text/csv")
    training.evidence.save(
        f"import-{import_id}-line-{row.line}.csv", _own_rows(row, import_id), save=False
    )
    training.save()
    outside_training_review(
        registrar=registrar, training_id=training.pk, verified=True,
        reason=f"Imported (import {import_id}, line {row.line})",
    )  # fmt: skip


def write_attendance(row: Row, registrar: User, import_id: str) -> None:
    """The learner's hours for the day through the roster's own service, as if a registrar
    recorded them on the roster (so completion follows), then certification re-evaluated."""
    p = row.parsed
    roster_save(
        day_id=p["day"].pk, hours={p["enrollment"].pk: p["hours"]}, recorded_by=registrar,
        reason=f"Imported (import {import_id}, line {row.line})",
    )  # fmt: skip
    certificates_reevaluate_later(learner_ids=[p["learner"].pk])


@dataclass(frozen=True)
class Kind:
    title: str
    header: list[str]
    check: Callable[[Row, dt.date, Pending], None]
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
    rows: list[Row] = []
    valid_keys: set[tuple[str, ...]] = set()
    pending: Pending = defaultdict(list)
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = Row(line, dict(zip(kind.header, [c.strip() for c in cells], strict=False)))
        key = tuple(row.values.values())
        if len(cells) != len(kind.header):
            row.errors.append(f"{len(cells)} values where {len(kind.header)} are expected.")
        elif key in valid_keys:  # repeated in the file: counts once, checked once
            row.duplicate = True
        else:
            kind.check(row, today, pending)
        if row.valid:
            valid_keys.add(key)
        rows.append(row)
    if not rows:
        raise ImportFileError(EMPTY)
    return rows


@transaction.atomic
def rows_write(
    kind: Kind, rows: list[Row], *, registrar: User, import_id: str, all_or_nothing: bool
) -> int:
    """Write the valid rows; with `all_or_nothing`, nothing at all when any row has an error.
    Duplicates are skipped either way. Returns how many rows were written."""
    if all_or_nothing and any(row.errors for row in rows):
        return 0
    written = 0
    for row in rows:
        if row.valid:
            try:
                kind.write(row, registrar, import_id)
            except (ReviewError, RosterError) as error:  # checked again when written
                row.errors.extend(error.reasons)
                if all_or_nothing:
                    transaction.set_rollback(True)
                    return 0
                continue
            written += 1
    return written
