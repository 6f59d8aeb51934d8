"""Reads for the learner's own pages, always scoped to the signed-in user; and the one
meaning of "a current license" that enrollment, certification, the self-check, reminders
and the registrar's dashboard share."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from accounts.models import User

from .models import LearnerProfile, License


def profile_get_for_user(*, user: User) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).select_related("profession").first()


def learner_display_name(user: User) -> str:
    """The name a learner gave for their certificates, else their account name."""
    profile = getattr(user, "learner_profile", None)
    return profile.legal_name if profile else user.get_full_name() or user.email


def licenses_for_user(*, user: User) -> QuerySet[License]:
    return License.objects.filter(learner=user).select_related("profession")


def profile_is_complete(*, user: User) -> bool:
    profile = profile_get_for_user(user=user)
    return profile is not None and profile.is_complete


def license_is_current(*, today: dt.date, verified: bool = False) -> Q:
    """A license is current on `today` (the provider's calendar date, config.dates) from its
    issue date through its expiry date, both inclusive, unless a registrar rejected it.
    Enrollment (DESIGN.md 3.3) takes pending ones, so does the self-check (which shows them
    as pending); certification (3.4) asks `verified`."""
    in_force = Q(issued_on__lte=today, expires_on__gte=today)
    if verified:
        return in_force & Q(status=License.Status.VERIFIED)
    return in_force & ~Q(status=License.Status.REJECTED)


def licenses_current(*, today: dt.date, verified: bool = False) -> QuerySet[License]:
    """Every license current on `today` (see `license_is_current`)."""
    return License.objects.filter(license_is_current(today=today, verified=verified))


def licenses_with_currency(*, user: User, today: dt.date) -> QuerySet[License]:
    """The user's licenses but rejected ones, each with `current` (`license_is_current`) and
    `expired` (its expiry date has passed)."""
    return (
        licenses_for_user(user=user)
        .exclude(status=License.Status.REJECTED)
        .annotate(
            current=_flag(license_is_current(today=today)),
            expired=_flag(Q(expires_on__lt=today)),
        )
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def licenses_expiring_within(*, today: dt.date, days: int) -> QuerySet[License]:
    """Verified licenses current on `today` that expire within `days` (today included)."""
    return licenses_current(today=today, verified=True).filter(
        expires_on__lte=today + dt.timedelta(days=days)
    )
