"""Calendar dates are the provider's (DESIGN.md 2, 3.4): the day a certificate was issued or
revoked, a payment's month, "today" for licenses, hours and exports are taken on the
provider's clock, the `TIME_ZONE` setting, whatever zone the server runs in or a request has
activated. The one owner of turning a moment into a date: nothing else calls `.date()` on an
aware datetime. (A course day's own date is the venue's, kept on the day itself.)"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def provider_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def provider_moment(moment: dt.datetime) -> dt.datetime:
    """The moment on the provider's clock, carrying its UTC offset (e.g. 23:25-05:00), so
    that its written form names the provider's date. Refuses a naive datetime: its zone is a
    guess."""
    if timezone.is_naive(moment):
        raise ValueError(f"A naive datetime has no calendar date: {moment!r}")
    return moment.astimezone(provider_zone())


def provider_date(moment: dt.datetime) -> dt.date:
    """The provider's calendar date at that moment."""
    return provider_moment(moment).date()


def provider_today() -> dt.date:
    return provider_date(timezone.now())


def provider_month(moment: dt.datetime) -> dt.date:
    """The first day of the provider's calendar month at that moment: a month bucket."""
    return provider_date(moment).replace(day=1)


def provider_day_start(day: dt.date) -> dt.datetime:
    """Midnight starting that day on the provider's clock, as an aware moment."""
    return dt.datetime.combine(day, dt.time(), tzinfo=provider_zone())


def provider_days(
    start: dt.date | None, end: dt.date | None, *, field: str
) -> dict[str, dt.datetime]:
    """Lookups selecting the moments in `field` that fall on the provider's days from `start`
    through `end` (both inclusive; either may be open)."""
    lookups = {}
    if start:
        lookups[f"{field}__gte"] = provider_day_start(start)
    if end:
        lookups[f"{field}__lt"] = provider_day_start(end + dt.timedelta(days=1))
    return lookups
