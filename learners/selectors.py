"""Reads for the learner's own pages: always scoped to the signed-in user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from .models import LearnerProfile, License


def profile_get_for_user(*, user: User) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(user=user).select_related("profession").first()


def licenses_for_user(*, user: User) -> QuerySet[License]:
    return License.objects.filter(learner=user).select_related("profession")


def profile_is_complete(*, user: User) -> bool:
    profile = profile_get_for_user(user=user)
    return profile is not None and profile.is_complete
