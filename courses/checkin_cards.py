"""My courses → today's class (issue 19): the seat's check-in QR code and short code for a
course day that is today at the venue. Shown only to the seat's learner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from config.qr import qr_data_uri

from .checkin import checkin_token, day_short_codes
from .models import CourseDay, Enrollment


@dataclass(frozen=True)
class CheckinCard:
    day: CourseDay
    qr: str
    short_code: str


def checkin_cards(enrollments: Iterable[Enrollment], *, now: dt.datetime) -> dict[int, CheckinCard]:
    """By enrollment: today's card for each seat whose class meets today (days prefetched)."""
    cards = {}
    for seat in enrollments:
        if seat.status not in Enrollment.SEAT_STATUSES:
            continue
        today = seat.offering.venue_date(now)
        day = next((d for d in seat.offering.days.all() if d.date == today), None)
        if day is None:
            continue
        roster = Enrollment.objects.filter(
            offering_id=seat.offering_id, status__in=Enrollment.SEAT_STATUSES
        ).values_list("pk", flat=True)
        code = day_short_codes(roster, today)[seat.pk]
        cards[seat.pk] = CheckinCard(day, qr_data_uri(checkin_token(seat.pk, today)), code)
    return cards
