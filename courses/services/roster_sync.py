"""Marks made on an instructor's phone, offline or not, reaching the roster (issue 19).

Each mark carries the id the phone gave it. It is applied through the roster's own writers
(`roster_save`, `assessments_record`) in one transaction with its `RosterSyncMark`, whose
unique id makes a mark sent twice, or by two syncs at once, count once. The server decides:
a mark is applied, already applied, or refused with its reasons. A day signed off since the
mark was made refuses it (after sign-off a change needs a reason, which only the roster page
asks for); a seat no longer confirmed refuses it; so do hours above the day's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from django.db import IntegrityError, transaction

from accounts.models import User
from config.dates import provider_date
from config.errors import ApplicationError

from ..checkin import (
    OTHER_CLASS,
    CheckinError,
    checkin_token_read,
    day_short_codes,
    is_token,
    seat_for_code,
)
from ..models import Attendance, CourseDay, DaySignOff, Enrollment, RosterSyncMark
from ..roster import Mark, MarkError, hours_for_mark
from .assessments import Result, assessments_record
from .completion import latest_results
from .roster import RosterError, ensure_may_record, roster_enrollments, roster_save

SIGNED_OFF_MEANWHILE = (
    "The day was signed off on {when} before this mark arrived: change it on the roster, "
    "with a reason."
)
SEAT_GONE = "{who}'s seat is {status} now: the mark was not applied."


class Outcome(StrEnum):
    APPLIED = "applied"
    ALREADY_APPLIED = "already_applied"
    REFUSED = "refused"


@dataclass(frozen=True)
class SyncMark:
    """One mark as the phone sent it. Attendance: day, enrollment, mark, partial hours.
    Assessment: enrollment and the results given (None: not given). Check-in: day, code."""

    client_id: UUID
    kind: RosterSyncMark.Kind
    enrollment_id: int | None = None
    day_id: int | None = None
    mark: Mark | None = None
    hours: Decimal | None = None
    written_score: int | None = None
    practical_passed: bool | None = None
    gives_written: bool = False
    gives_practical: bool = False
    code: str = ""


@dataclass(frozen=True)
class SyncResult:
    client_id: UUID
    outcome: Outcome
    reasons: tuple[str, ...] = ()
    enrollment_id: int | None = None
    learner_id: int | None = None


def roster_sync(*, offering_id: int, marks: list[SyncMark], recorded_by: User) -> list[SyncResult]:
    """Apply each mark in order, each on its own; one result per mark. Raises RosterError
    (nothing applied) when `recorded_by` may not record the offering."""
    ensure_may_record(offering_id, recorded_by)
    return [_sync_one(offering_id, mark, recorded_by) for mark in marks]


def _sync_one(offering_id: int, mark: SyncMark, user: User) -> SyncResult:
    if RosterSyncMark.objects.filter(client_id=mark.client_id).exists():
        return SyncResult(mark.client_id, Outcome.ALREADY_APPLIED)
    try:
        with transaction.atomic():
            seat = _apply(offering_id, mark, user)
    except IntegrityError:
        # Another sync stored this id first (the unique id waits for its transaction).
        if RosterSyncMark.objects.filter(client_id=mark.client_id).exists():
            return SyncResult(mark.client_id, Outcome.ALREADY_APPLIED)
        raise
    except ApplicationError as error:
        return SyncResult(mark.client_id, Outcome.REFUSED, error.reasons)
    return SyncResult(mark.client_id, Outcome.APPLIED, (), seat.pk, seat.learner_id)


def _apply(offering_id: int, mark: SyncMark, user: User) -> Enrollment:
    """Store the mark's id, then write what it says; raises ApplicationError to refuse."""
    day = _locked_day(mark.day_id) if mark.day_id else None
    seat = _seat(mark, day)
    RosterSyncMark.objects.create(
        client_id=mark.client_id, kind=mark.kind, offering_id=offering_id, course_day=day,
        enrollment=seat, recorded_by=user,
    )  # fmt: skip
    if mark.kind == RosterSyncMark.Kind.ASSESSMENT:
        current = latest_results([seat.pk]).get(seat.pk)
        result = Result(
            mark.written_score if mark.gives_written else getattr(current, "written_score", None),
            mark.practical_passed
            if mark.gives_practical
            else getattr(current, "practical_passed", None),
        )
        assessments_record(offering_id=offering_id, results={seat.pk: result}, recorded_by=user)
    elif mark.kind == RosterSyncMark.Kind.CHECKIN:
        if Attendance.objects.filter(course_day=day, enrollment=seat).exists():
            return seat  # arrival is recorded already; a later mark of the day stands
        roster_save(day_id=day.pk, hours={seat.pk: day.scheduled_hours}, recorded_by=user)
    else:
        try:
            hours = hours_for_mark(mark.mark, mark.hours, scheduled=day.scheduled_hours)
        except MarkError as error:
            raise RosterError(error.reasons) from error
        roster_save(day_id=day.pk, hours={seat.pk: hours}, recorded_by=user)
    return seat


def _locked_day(day_id: int) -> CourseDay:
    """The day, locked as roster_save locks it, so a sign-off cannot land in between."""
    day = (
        CourseDay.objects.select_for_update(of=("self",))
        .select_related("offering__venue")
        .get(pk=day_id)
    )
    if signed := DaySignOff.objects.filter(course_day=day).first():
        when = provider_date(signed.signed_off_at)
        raise RosterError(SIGNED_OFF_MEANWHILE.format(when=f"{when:%-d %B %Y}"))
    return day


def _seat(mark: SyncMark, day: CourseDay | None) -> Enrollment:
    """The mark's enrollment (a check-in's from its code), refused unless it holds a seat."""
    if mark.kind == RosterSyncMark.Kind.CHECKIN:
        seat_id = _checkin_seat(mark.code, day)
    else:
        seat_id = mark.enrollment_id
    seat = Enrollment.objects.select_related("learner").get(pk=seat_id)
    if seat.status not in Enrollment.SEAT_STATUSES:
        raise RosterError(SEAT_GONE.format(who=seat.learner, status=seat.get_status_display()))
    return seat


def _checkin_seat(code: str, day: CourseDay) -> int:
    if is_token(code):
        seat_id = checkin_token_read(code, day=day.date)
        if not Enrollment.objects.filter(pk=seat_id, offering_id=day.offering_id).exists():
            raise CheckinError(OTHER_CLASS)
        return seat_id
    seats = [e.pk for e in roster_enrollments(day)]
    return seat_for_code(code, day_short_codes(seats, day.date))
