"""The instructor's roster for a course day: who is on it, what the ledger says they
attended, and recording a whole class at once. Saving writes ledger entries; once the day is
signed off every change is a correction that needs a reason. `roster_save` is the one writer of
course-day attendance: the attendance import records through it too, one learner's day at a
time, so completion follows the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache as once

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import user_is_staff_member
from config.dates import provider_date
from config.errors import ApplicationError
from config.prepared import prepared_cursor
from learners.ledger import LedgerError, hours_entry_correct, hours_entry_record
from learners.models import HoursEntry

from ..models import Attendance, CourseDay, DaySignOff, Enrollment, Offering
from ..roster import Mark, MarkError, hours_for_mark, mark_for_hours
from .completion import enrollments_refresh_completion

FUTURE_DAY = "{date} has not happened yet: attendance is recorded on or after the day."
NOT_ON_ROSTER = "{who} is not a confirmed learner of this offering."
NOT_A_SEAT = "A posted row is not a seat in this offering: reload the page and try again."
REASON_AFTER_SIGN_OFF = "The day is signed off: say why these hours change."
ALREADY_SIGNED_OFF = "This day was signed off on {when}."
NOT_ALL_RECORDED = "Record {who} before signing the day off."
CHANGED_BEFORE_SIGN_OFF = "Changed on the roster before sign-off."


NOT_YOUR_OFFERING = (
    "Only an instructor of this offering, or a registrar, records its attendance and results."
)


class RosterError(ApplicationError):
    code = "roster_refused"


def may_record(
    offering_id: int, user: User, *, instructor_ids: Collection[int] | None = None
) -> bool:
    """The offering's instructors, and registrars (who step in when an instructor cannot).
    A page that has the offering's `instructor_ids` at hand (kept with the offering under the
    catalog's version, which adding or removing an instructor bumps) passes them; otherwise
    they are asked in one statement written once (the ORM built the same EXISTS anew each
    time, a tenth of a kept page's CPU: issue 17). Writers always ask the database."""
    if user_is_staff_member(user):
        return True
    if instructor_ids is not None:
        return user.pk in instructor_ids
    with prepared_cursor(connection) as cursor:
        cursor.execute(_teaches_sql(), [offering_id, user.pk])
        return cursor.fetchone() is not None


@once
def _teaches_sql() -> str:
    link = Offering.instructors.through._meta
    table, offering, user = (
        connection.ops.quote_name(name)
        for name in (
            link.db_table,
            link.get_field("offering").column,
            link.get_field("user").column,
        )
    )
    return f"SELECT 1 FROM {table} WHERE {offering} = %s AND {user} = %s LIMIT 1"


def ensure_may_record(offering_id: int, user: User) -> None:
    if not may_record(offering_id, user):
        raise RosterError(NOT_YOUR_OFFERING)


def not_on_roster_message(offering_id: int, enrollment_ids: Iterable[int]) -> str:
    """Why posted enrollments are refused. A learner is named only when the enrollment is this
    offering's (a cancelled seat, say); another offering's learners are never named."""
    ours = (
        Enrollment.objects.filter(pk__in=list(enrollment_ids), offering_id=offering_id)
        .select_related("learner")
        .first()
    )
    return NOT_ON_ROSTER.format(who=ours.learner) if ours else NOT_A_SEAT


@dataclass(frozen=True)
class RosterLine:
    enrollment: Enrollment
    hours: Decimal
    mark: Mark
    recorded: bool


def day_local_today(day: CourseDay) -> dt.date:
    """Today where the course takes place: a day opens for recording at the venue's midnight."""
    return timezone.localdate(timezone=day.offering.venue.tz)


def roster_enrollments(day: CourseDay) -> list[Enrollment]:
    """The learners holding a paid seat in the day's offering, by name."""
    return list(
        Enrollment.objects.filter(offering_id=day.offering_id, status__in=Enrollment.SEAT_STATUSES)
        .select_related("learner__learner_profile")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def day_hours_by_learner(day: CourseDay) -> dict[int, Decimal]:
    rows = (
        HoursEntry.objects.filter(course_day=day).values("learner_id").annotate(hours=Sum("hours"))
    )
    return {row["learner_id"]: row["hours"] for row in rows}


def recorded_enrollment_ids(day: CourseDay) -> set[int]:
    return set(Attendance.objects.filter(course_day=day).values_list("enrollment_id", flat=True))


def roster_lines(day: CourseDay) -> list[RosterLine]:
    """One line per learner on the roster; a learner not yet recorded reads as present."""
    hours = day_hours_by_learner(day)
    recorded = recorded_enrollment_ids(day)
    lines = []
    for enrollment in roster_enrollments(day):
        if enrollment.pk in recorded:
            counted = hours.get(enrollment.learner_id, Decimal(0))
            mark = mark_for_hours(counted, scheduled=day.scheduled_hours)
        else:
            counted, mark = day.scheduled_hours, Mark.PRESENT
        lines.append(RosterLine(enrollment, counted, mark, enrollment.pk in recorded))
    return lines


def _check_request(
    day: CourseDay, on_roster: dict[int, Enrollment], hours: dict[int, Decimal], *,
    recorded: set[int], signed_off: DaySignOff | None, sign_off: bool,
) -> None:  # fmt: skip
    if day.date > day_local_today(day):
        raise RosterError(FUTURE_DAY.format(date=f"{day.date:%A %-d %B %Y}"))
    if signed_off and sign_off:
        when = provider_date(signed_off.signed_off_at)
        raise RosterError(ALREADY_SIGNED_OFF.format(when=f"{when:%-d %B %Y}"))
    if unknown := [pk for pk in hours if pk not in on_roster]:
        raise RosterError(not_on_roster_message(day.offering_id, unknown))
    left_out = [e for pk, e in on_roster.items() if pk not in hours and pk not in recorded]
    if sign_off and left_out:
        raise RosterError(NOT_ALL_RECORDED.format(who=left_out[0].learner))
    for new in hours.values():
        try:
            hours_for_mark(Mark.PARTIAL, new, scheduled=day.scheduled_hours)
        except MarkError as error:
            raise RosterError(error.reasons) from error


def _write_hours(
    day: CourseDay, learner: User, new: Decimal, original: HoursEntry | None, *,
    recorded_by: User, reason: str,
) -> None:  # fmt: skip
    """A first entry for the learner's day, or a correction of the one there is; refused,
    naming the learner, when the ledger finds the hours implausible (e.g. the day already
    holds outside training)."""
    try:
        if original is None:
            hours_entry_record(
                learner=learner, date=day.date, hours=new, mode=HoursEntry.Mode.IN_PERSON,
                source=HoursEntry.Source.COURSE_DAY, recorded_by=recorded_by,
                today=day_local_today(day), course_day_id=day.pk, note=reason,
            )  # fmt: skip
        else:
            hours_entry_correct(
                entry=original, hours=new, reason=reason or CHANGED_BEFORE_SIGN_OFF,
                recorded_by=recorded_by,
            )  # fmt: skip
    except LedgerError as error:
        raise RosterError(f"{learner}: {reason}" for reason in error.reasons) from error


@transaction.atomic
def roster_save(
    *,
    day_id: int,
    hours: dict[int, Decimal],
    recorded_by: User,
    reason: str = "",
    sign_off: bool = False,
) -> int:
    """Record the class's hours for a day, keyed by enrollment, and optionally sign the day
    off; returns how many learners' hours changed. Learners not in `hours` are left as they
    are. Saving the same marks again changes nothing, so a form submitted twice never counts
    a day twice."""
    day = (
        CourseDay.objects.select_for_update(of=("self",))
        .select_related("offering__venue", "offering__course")
        .get(pk=day_id)
    )
    ensure_may_record(day.offering_id, recorded_by)
    signed_off = DaySignOff.objects.filter(course_day=day).first()
    on_roster = {e.pk: e for e in roster_enrollments(day)}
    recorded = recorded_enrollment_ids(day)
    _check_request(
        day, on_roster, hours, recorded=recorded, signed_off=signed_off, sign_off=sign_off
    )
    counted = day_hours_by_learner(day)
    changes = {
        pk: new
        for pk, new in hours.items()
        if new != counted.get(on_roster[pk].learner_id, Decimal(0))
    }
    if signed_off and changes and not reason.strip():
        raise RosterError(REASON_AFTER_SIGN_OFF)
    originals = {
        e.learner_id: e
        for e in HoursEntry.objects.filter(course_day=day, source=HoursEntry.Source.COURSE_DAY)
    }
    for pk, new in changes.items():
        learner = on_roster[pk].learner
        _write_hours(
            day, learner, new, originals.get(learner.pk), recorded_by=recorded_by,
            reason=reason.strip(),
        )  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(course_day=day, enrollment_id=pk, recorded_by=recorded_by)
        for pk in hours
        if pk not in recorded
    )
    if sign_off:
        DaySignOff.objects.create(course_day=day, signed_off_by=recorded_by)
    enrollments_refresh_completion(enrollment_ids=on_roster.keys())
    return len(changes)
