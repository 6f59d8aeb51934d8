"""Reminder emails 7 days and 1 day before an offering's first day, once each."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Min

from ..models import Enrollment, EnrollmentReminder
from ..tasks import reminder_send

DAYS_BEFORE = {EnrollmentReminder.Kind.WEEK: 7, EnrollmentReminder.Kind.DAY: 1}
# Each reminder covers first days in (today + low, today + high]: a seat booked two days
# before the start gets only the 1-day reminder, not a late "7 days" one.
WINDOWS = {EnrollmentReminder.Kind.WEEK: (1, 7), EnrollmentReminder.Kind.DAY: (0, 1)}


def reminders_send_due(*, today: dt.date) -> int:
    """Queue every reminder due today (or missed since) for confirmed seats; return how many."""
    queued = 0
    confirmed = Enrollment.objects.filter(status=Enrollment.Status.CONFIRMED).annotate(
        first_day=Min("offering__days__date")
    )
    for kind, (low, high) in WINDOWS.items():
        due = confirmed.filter(
            first_day__gt=today + dt.timedelta(low), first_day__lte=today + dt.timedelta(high)
        ).exclude(reminders__kind=kind)
        for enrollment in due:
            try:
                with transaction.atomic():
                    EnrollmentReminder.objects.create(enrollment=enrollment, kind=kind)
                    transaction.on_commit(
                        lambda pk=enrollment.pk, k=kind: reminder_send.enqueue(
                            enrollment_id=pk, days=DAYS_BEFORE[k]
                        )
                    )
                queued += 1
            except IntegrityError:
                continue  # another run sent it
    return queued
