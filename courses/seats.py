"""What an offering and a seat allow, read the same way by pages and services (DESIGN 3.3):
how availability reads to a visitor, and which actions a learner's seat offers. A page
shows a button only when the service behind it would accept the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import selectors
from .models import Enrollment, Offering, Payment
from .services.waitlist import waitlist_position

NOT_CANCELLABLE = "Only a confirmed seat can be cancelled here ({status})."
ALREADY_STARTED = "The course has started; contact the registrar about your seat."
NOT_PAID_ONLINE = "Your seat was arranged by the registrar: ask them to move it."


def seats_left(offering: Offering) -> int:
    """Capacity minus the annotated `seats_taken` (see selectors), never below zero."""
    return max(0, offering.capacity - offering.seats_taken)


def availability_label(offering: Offering) -> str:
    """ "3 seats left", "1 seat left", "Full", or why it takes no enrollments ("Under way")."""
    registration = offering.registration_state()
    if not registration.is_open:
        return registration.label
    left = seats_left(offering)
    if left == 0:
        return "Full"
    return f"{left} seat left" if left == 1 else f"{left} seats left"


def seat_change_refusal(enrollment: Enrollment, *, now: dt.datetime) -> str | None:
    """Why the learner may not cancel or move this seat themselves, or None when they may:
    only a confirmed seat, and only before the offering's first day in the venue's calendar."""
    if enrollment.status != Enrollment.Status.CONFIRMED:
        return NOT_CANCELLABLE.format(status=enrollment.get_status_display())
    if enrollment.offering.has_started(now):
        return ALREADY_STARTED
    return None


def transfer_refusal(enrollment: Enrollment, *, now: dt.datetime) -> str | None:
    """Why the learner may not move this seat themselves, or None: as for cancelling, and
    only a seat paid online (its payment follows it; a registrar's seat is theirs to move).
    A seat without its own payment costs a query to find the one it moved from."""
    if reason := seat_change_refusal(enrollment, now=now):
        return reason
    return None if selectors.payment_for(enrollment) else NOT_PAID_ONLINE


@dataclass(frozen=True)
class SeatActions:
    """One seat as the learner sees it and what they may do with it."""

    enrollment: Enrollment
    status_label: str
    status_ok: bool
    can_pay: bool
    can_cancel: bool
    can_transfer: bool
    can_leave_waitlist: bool
    leave_waitlist_label: str
    can_add_to_calendar: bool
    waitlist_position: int | None
    # The learner's live seat in another class of the course: while it lives, a seat freed
    # here goes to the next in line (one live seat per course) and they keep their place.
    waitlist_passed_over_for: Enrollment | None
    receipts: list[Payment]


def seat_actions(enrollment: Enrollment, *, now: dt.datetime) -> SeatActions:
    """The seat's actions (`enrollments_for_learner` prefetches what this reads; a
    waitlisted seat costs a query for its place in line and two for a live seat elsewhere
    in the course)."""
    status = Enrollment.Status
    hold_live = selectors.hold_is_live(enrollment, now=now)
    hold_expired = enrollment.is_hold and not hold_live
    changeable = seat_change_refusal(enrollment, now=now) is None
    movable = changeable and transfer_refusal(enrollment, now=now) is None
    return SeatActions(
        enrollment=enrollment,
        status_label="Hold expired" if hold_expired else enrollment.get_status_display(),
        status_ok=enrollment.status in (status.CONFIRMED, status.COMPLETED),
        can_pay=hold_live,
        can_cancel=changeable,
        can_transfer=movable,
        # A waitlist place, or a seat offered from the waitlist (not one a registrar arranged).
        can_leave_waitlist=enrollment.status == status.WAITLISTED
        or (enrollment.status == status.OFFERED and hold_live and not enrollment.arranged_by_id),
        leave_waitlist_label=(
            "Decline the seat" if enrollment.status == status.OFFERED else "Leave the waitlist"
        ),
        can_add_to_calendar=enrollment.status == status.CONFIRMED,
        waitlist_position=(
            waitlist_position(enrollment) if enrollment.status == status.WAITLISTED else None
        ),
        waitlist_passed_over_for=(
            _live_seat_elsewhere(enrollment, now=now)
            if enrollment.status == status.WAITLISTED
            else None
        ),  # fmt: skip
        receipts=[p for p in enrollment.payments.all() if p.status == Payment.Status.SUCCEEDED],
    )


def _live_seat_elsewhere(enrollment: Enrollment, *, now: dt.datetime) -> Enrollment | None:
    """The live seat in the course that makes the waitlist pass this learner over (as
    `waitlist_offer_next` does), or None."""
    seats = selectors.live_seats_in_course(
        learner=enrollment.learner, course_id=enrollment.offering.course_id, now=now
    )
    return next((seat for seat in seats if seat.offering_id != enrollment.offering_id), None)
