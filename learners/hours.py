"""Hours as the ledger keeps them (DESIGN.md 2: multiples of 0.25): the one owner of "a
whole number of quarter hours" and of how hours are written. Pure, no database; every
form, import, API, roster, ledger and rule check asks here."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

QUARTER_HOURS_ERROR = "Hours must be a multiple of 0.25 (a quarter hour)."


def is_quarter_hours(value: Decimal) -> bool:
    """Return whether `value` is zero or more and a whole number of quarter hours."""
    return value >= 0 and (value * 4) % 1 == 0


def validate_quarter_hours(value: Decimal) -> None:
    """Django validator for every hours field."""
    if not is_quarter_hours(value):
        raise ValidationError(QUARTER_HOURS_ERROR)


def format_hours(value: Decimal) -> str:
    """27, 6.5, 10: hours without trailing zeros or an exponent."""
    return f"{value.normalize():f}"
