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


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """Return whether an authenticated user belongs to the role's group. The names are read
    once per user object: the middleware, the navigation and the views all ask."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return role in user._role_names


def user_is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Registrars and superusers: the people who run the business from the admin."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, REGISTRAR))
