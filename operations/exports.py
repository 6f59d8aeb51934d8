"""Reports registrars hand to boards, auditors and accountants: each a header and rows, written
as CSV or XLSX (openpyxl). Filters: a date range, a course, a state."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched
from typing import NamedTuple

from django.db.models import Max, QuerySet, Sum
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from certification.models import Certificate
from config.dates import provider_days, provider_month
from courses.models import Attendance, CEUApproval, CourseDay, Enrollment, Payment, Refund
from courses.money import SYMBOLS, cents_to_decimal
from courses.selectors import learner_display_name
from courses.services.completion import hours_attended
from learners.hours import format_hours
from learners.models import HoursEntry, License


@dataclass(frozen=True)
class Amount:
    """A sum of money in a report: a plain decimal in CSV ("1342.50"), a number with its
    currency's format in XLSX, so accountants can add it up."""

    cents: int
    currency: str

    @property
    def xlsx_format(self) -> str:
        symbol = SYMBOLS.get(self.currency.lower())
        return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{self.currency.upper()}"'


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    course: str = ""  # a course code
    state: str = ""  # a venue's state (or, for completions, the license's)


Rows = Iterable[list[object]]
CHUNK = 2000  # rows read per query: memory stays flat whatever the export's size


def _filtered(
    rows: QuerySet, filters: Filters, *, course: str, state: str, date: str = "", moment: str = ""
) -> QuerySet:
    """Apply the filters given, each through its lookup path for this report: the date range
    to a date field (`date`), or to a moment's date on the provider's calendar (`moment`)."""
    if filters.course:
        rows = rows.filter(**{course: filters.course})
    if filters.state:
        rows = rows.filter(**{state: filters.state})
    if moment:
        return rows.filter(**provider_days(filters.start, filters.end, field=moment))
    if filters.start:
        rows = rows.filter(**{f"{date}__gte": filters.start})
    if filters.end:
        rows = rows.filter(**{f"{date}__lte": filters.end})
    return rows


def _enrollments(filters: Filters, statuses: Iterable[str]):
    enrollments = Enrollment.objects.filter(status__in=list(statuses)).select_related(
        "learner__learner_profile__profession", "offering__course", "offering__venue"
    )
    enrollments = _filtered(
        enrollments, filters, course="offering__course__code", state="offering__venue__region",
        date="offering__days__date",
    )  # fmt: skip
    return enrollments.distinct().order_by("offering__pk", "learner__last_name")


def roster_rows(filters: Filters) -> Rows:
    for e in _enrollments(filters, Enrollment.SEAT_STATUSES).iterator(chunk_size=CHUNK):
        offering = e.offering
        yield [
            offering.course.code, offering.pk, offering.venue.city, offering.venue.region,
            learner_display_name(e.learner), e.learner.email, e.get_status_display(),
        ]  # fmt: skip


def attendance_rows(filters: Filters) -> Rows:
    records = Attendance.objects.select_related(
        "course_day__offering__course", "course_day__offering__venue", "course_day__sign_off",
        "enrollment__learner__learner_profile",
    ).order_by("course_day__date", "enrollment__learner__last_name")  # fmt: skip
    records = _filtered(
        records, filters, course="course_day__offering__course__code",
        state="course_day__offering__venue__region", date="course_day__date",
    )  # fmt: skip
    hours = {
        (r["learner_id"], r["course_day_id"]): r["total"]
        for r in HoursEntry.objects.filter(course_day__isnull=False)
        .values("learner_id", "course_day_id").annotate(total=Sum("hours"))
    }  # fmt: skip
    for record in records.iterator(chunk_size=CHUNK):
        day, learner = record.course_day, record.enrollment.learner
        counted = hours.get((learner.pk, day.pk), Decimal(0))
        signed_off = "yes" if hasattr(day, "sign_off") else "no"
        yield [
            day.offering.course.code, day.offering.pk, day.date.isoformat(),
            learner_display_name(learner), format_hours(counted),
            format_hours(day.scheduled_hours), signed_off,
        ]  # fmt: skip


class Seat(NamedTuple):
    """An enrollment as the completions export reads it: plain values, no model instances."""

    pk: int
    learner_id: int
    offering_id: int
    course_id: int
    contact_hours: Decimal


def _completions(filters: Filters, *, partial: bool) -> Rows:
    """CE Broker's roster upload: license number, state, profession code, completion date,
    course tracking number (the course's approval number in that state), hours. Read in
    chunks of plain values, each with its licenses, approvals and days in three queries."""
    statuses = [Enrollment.Status.COMPLETED]
    if partial:
        statuses.append(Enrollment.Status.INCOMPLETE)
    by_course = Filters(filters.start, filters.end, filters.course)  # state: the license's
    seats = _enrollments(by_course, statuses).values_list(
        "pk", "learner_id", "offering_id", "offering__course_id", "offering__course__contact_hours"
    )
    for chunk in batched(map(Seat._make, seats.iterator(chunk_size=CHUNK)), CHUNK):
        yield from _completion_rows(list(chunk), filters.state, partial=partial)


def _completion_rows(seats: list[Seat], state: str, *, partial: bool) -> Rows:
    attended = hours_attended(seats) if partial else {}
    licenses = License.objects.filter(
        learner_id__in={s.learner_id for s in seats}, status=License.Status.VERIFIED
    )
    if state:
        licenses = licenses.filter(jurisdiction=state)
    by_learner: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for learner_id, *license in licenses.values_list(
        "learner_id", "number", "jurisdiction", "profession__code"
    ):
        by_learner[learner_id].append(license)
    approvals = {
        (course_id, jurisdiction): (hours, number)
        for course_id, jurisdiction, hours, number in CEUApproval.objects.filter(
            course_id__in={s.course_id for s in seats}
        ).values_list("course_id", "jurisdiction", "hours", "approval_number")
    }
    last_days = dict(
        CourseDay.objects.filter(offering_id__in={s.offering_id for s in seats})
        .values("offering_id").annotate(last=Max("date")).values_list("offering_id", "last")
    )  # fmt: skip
    for seat in seats:
        completed_on = last_days[seat.offering_id].strftime("%m/%d/%Y")
        for number, jurisdiction, profession in by_learner[seat.learner_id]:
            full, approval_number = approvals.get(
                (seat.course_id, jurisdiction), (seat.contact_hours, "")
            )
            hours = min(attended[seat.pk], full) if partial else full
            yield [number, jurisdiction, profession, completed_on, approval_number,
                   format_hours(hours)]  # fmt: skip


def payment_rows(filters: Filters) -> Rows:
    """By month: payments received, refunds made, net, in the payments' currency."""
    months: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    payments = Payment.objects.filter(status=Payment.Status.SUCCEEDED).select_related(
        "enrollment__offering__course", "enrollment__offering__venue"
    )
    refunds = Refund.objects.filter(status=Refund.Status.SUCCEEDED).select_related(
        "payment__enrollment__offering__course", "payment__enrollment__offering__venue"
    )
    for prefix, rows in (
        ("enrollment__offering", payments),
        ("payment__enrollment__offering", refunds),
    ):
        rows = _filtered(
            rows, filters, course=f"{prefix}__course__code", state=f"{prefix}__venue__region",
            moment="created_at",
        )  # fmt: skip
        for row in rows:
            totals = months[(f"{provider_month(row.created_at):%Y-%m}", row.currency)]
            if prefix == "enrollment__offering":
                totals[0] += 1
                totals[1] += row.amount_cents
            else:
                totals[2] += row.amount_cents
    for (month, currency), (count, paid, refunded) in sorted(months.items()):
        yield [
            month, currency.upper(), count, Amount(paid, currency), Amount(refunded, currency),
            Amount(paid - refunded, currency),
        ]  # fmt: skip


def certificate_rows(filters: Filters) -> Rows:
    certificates = Certificate.objects.select_related("program", "learner").order_by("issued_at")
    certificates = _filtered(
        certificates, filters, course="program__required_courses__code",
        state="evidence__license__jurisdiction", moment="issued_at",
    )  # fmt: skip
    for c in certificates.distinct().iterator(chunk_size=CHUNK):
        yield [c.number, c.holder_name, c.program.name, c.issued_on.isoformat(),
               format_hours(c.hours), c.get_status_display(), c.status_reason]  # fmt: skip


@dataclass(frozen=True)
class Export:
    title: str
    header: list[str]
    rows: Callable[[Filters], Rows]
    personal: bool = True


CE_BROKER = [
    "license number", "state", "profession code", "completion date", "course tracking number",
    "hours",
]  # fmt: skip
EXPORTS = {
    "roster": Export(
        "Roster per offering",
        ["course", "offering", "city", "state", "learner", "email", "status"], roster_rows,
    ),
    "attendance": Export(
        "Attendance per day",
        ["course", "offering", "date", "learner", "hours", "scheduled hours", "signed off"],
        attendance_rows,
    ),
    "completions": Export(
        "Completions (CE Broker roster)", CE_BROKER, lambda f: _completions(f, partial=False)
    ),
    "completions_partial": Export(
        "Completions with partial credit (CE Broker roster)", CE_BROKER,
        lambda f: _completions(f, partial=True),
    ),
    "payments": Export(
        "Payments and refunds by month",
        ["month", "currency", "payments", "received", "refunded", "net"], payment_rows,
        personal=False,
    ),
    "certificates": Export(
        "Certificates issued",
        ["number", "holder", "program", "issued", "hours", "status", "reason"], certificate_rows,
    ),
}  # fmt: skip


# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP, "CSV
# injection"); a plain number such as "-2" or "7.5" is not, and stays as it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def cell_neutralised(value: object) -> object:
    """What a CSV cell holds for `value`: text that a spreadsheet would read as a formula gets
    a leading apostrophe, so it is shown, never run; an amount is a plain decimal; numbers
    and other text are unchanged."""
    if isinstance(value, Amount):
        return cents_to_decimal(value.cents)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if not PLAIN_NUMBER.fullmatch(value):
            return f"'{value}"
    return value


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    """Text is written as a string cell (openpyxl would otherwise make a formula of "=..."),
    without the control characters XLSX cannot hold; numbers stay numbers, and an amount is
    a number shown in its currency."""
    if isinstance(value, Amount):
        cell = WriteOnlyCell(sheet, value=cents_to_decimal(value.cents))
        cell.number_format = value.xlsx_format
        return cell
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


class _Line:
    """A file for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def export_csv_lines(export: Export, filters: Filters, counted: list[int]) -> Iterator[bytes]:
    """The export as CSV, a line at a time (for a streamed response); `counted` ends up
    holding the number of rows written, header aside."""
    writer = csv.writer(_Line())
    yield writer.writerow(export.header).encode()
    for row in export.rows(filters):
        yield writer.writerow([cell_neutralised(value) for value in row]).encode()
        counted[0] += 1


def export_xlsx(export: Export, filters: Filters, path: str) -> int:
    """Write the export as an XLSX workbook to `path` (write-only: rows go to disk as they
    come); returns the number of rows, header aside."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(export.title[:31])
    sheet.append(export.header)
    count = 0
    for row in export.rows(filters):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    workbook.save(path)
    return count
