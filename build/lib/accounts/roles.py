"""The three roles (DESIGN.md 1) as Django groups, and the checks views use.

The groups and their permissions are created by a data migration; every new account
joins LEARNER. Registrars are staff: they reach the Wagtail admin and must use two-factor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LEARNER = "Learner"
INSTRUCTOR = "Instructor"
REGISTRAR = "Registrar"
ALL_ROLES = (LEARNER, INSTRUCTOR, REGISTRAR)


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """Return whether an authenticated user belongs to the role's group."""
    if not user.is_authenticated:
        return False
    return any(group.name == role for group in user.groups.all())


def user_is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Registrars and superusers: the people who run the business from the admin."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, REGISTRAR))
