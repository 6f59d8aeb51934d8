"""Template filters for catalog facts: money, hours, seat availability, dates kept as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from courses.models import Offering
from courses.money import format_money
from courses.seats import availability_label, seats_left
from learners.hours import format_hours

register = template.Library()


@register.filter
def money(cents: int, currency: str = "usd") -> str:
    return format_money(cents, currency)


@register.filter
def availability(offering: Offering) -> str:
    return availability_label(offering)


@register.filter
def registration(offering: Offering) -> str:
    """The offering's registration state ("open", "under_way", ...), for styling."""
    return offering.registration_state().state


@register.filter
def is_full(offering: Offering) -> bool:
    return offering.is_open and seats_left(offering) == 0


@register.filter
def hours(value: Decimal | None) -> str:
    """27, 6.5, 10 (never 27.00 or 1E+1)."""
    return "" if value is None else format_hours(value)


@register.filter
def iso_date(value: str) -> dt.date | str:
    """A date kept as ISO text (a certificate's frozen evidence) as a date again, for
    Django's `date` filter; anything else unchanged."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
