"""Template filters for catalog facts: money and seat availability."""

from __future__ import annotations

from django import template

from courses.models import Offering
from courses.money import format_money
from courses.seats import availability_label, seats_left

register = template.Library()


@register.filter
def money(cents: int, currency: str = "usd") -> str:
    return format_money(cents, currency)


@register.filter
def availability(offering: Offering) -> str:
    return availability_label(offering)


@register.filter
def is_full(offering: Offering) -> bool:
    return offering.status == Offering.Status.OPEN and seats_left(offering) == 0
