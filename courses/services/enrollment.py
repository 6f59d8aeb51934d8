"""Taking a seat (DESIGN.md 3.3): lock the offering, check the gate and the seats, write
the hold, all in one transaction, so concurrent requests can never overbook."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from accounts.models import User

from .. import selectors
from ..exceptions import EnrollmentError
from ..gate import enrollment_refusals
from ..models import Enrollment, Offering

OFFERING_FULL = "This offering is full."


def _offering_locked(offering_id: int) -> Offering:
    """The offering row, locked until the transaction ends (a no-op on SQLite, where the
    IMMEDIATE transaction already serialises writers)."""
    return (
        Offering.objects.select_for_update(of=("self",))
        .select_related("course", "venue")
        .get(pk=offering_id)
    )


@transaction.atomic
def enrollment_hold(*, learner: User, offering_id: int, now: dt.datetime) -> Enrollment:
    """Hold a seat for the learner for SEAT_HOLD_MINUTES while they pay, or raise
    EnrollmentError with every reason they cannot. Confirmed seats plus live holds never
    exceed the capacity."""
    offering = _offering_locked(offering_id)
    facts = selectors.enrollment_gate_facts(learner=learner, offering=offering, now=now)
    if reasons := enrollment_refusals(facts):
        raise EnrollmentError(reasons)
    if selectors.seats_taken_count(offering=offering, now=now) >= offering.capacity:
        raise EnrollmentError([OFFERING_FULL])
    return Enrollment.objects.create(
        learner=learner,
        offering=offering,
        status=Enrollment.Status.HELD,
        hold_expires_at=now + dt.timedelta(minutes=settings.SEAT_HOLD_MINUTES),
    )
