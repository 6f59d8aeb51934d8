"""The three roles (DESIGN.md 1) as Django groups, and the checks views use.

The groups and their permissions are created by a data migration; every new account
joins LEARNER. Registrars are staff: they reach the Wagtail admin and must use two-factor.
Staff accounts and staff roles are managed by superusers only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

LEARNER = "Learner"
INSTRUCTOR = "Instructor"
REGISTRAR = "Registrar"


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """Return whether an authenticated user belongs to the role's group. The names are read
    once per user object (the signed-in user's come with it from the cache): the middleware,
    the navigation and the views all ask."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_role_names"):
        load_role_names(user)
    return role in user._role_names


def load_role_names(user: AbstractBaseUser) -> None:
    """Read the user's role names onto the user object (kept with it: accounts/user_cache.py)."""
    user._role_names = frozenset(user.groups.values_list("name", flat=True))


def user_is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Registrars and superusers: the people who run the business from the admin."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, REGISTRAR))


def staff_roles() -> QuerySet[Group]:
    """The roles whose members reach the Wagtail admin (today: Registrar)."""
    return Group.objects.filter(
        permissions__content_type__app_label="wagtailadmin",
        permissions__codename="access_admin",
    )


def account_is_staff(account: AbstractBaseUser) -> bool:
    """Superusers, Django-admin staff and members of a staff role."""
    return (
        account.is_superuser
        or account.is_staff
        or account.groups.filter(pk__in=staff_roles().values("pk")).exists()
    )


def roles_grantable_by(editor: AbstractBaseUser) -> QuerySet[Group]:
    """Only superusers grant a staff role; registrars grant the learner and instructor roles."""
    groups = Group.objects.order_by("name")
    return groups if editor.is_superuser else groups.exclude(pk__in=staff_roles().values("pk"))


def user_may_manage_account(editor: AbstractBaseUser, account: AbstractBaseUser) -> bool:
    """Superusers manage every account; registrars only learners' and instructors'."""
    return editor.is_superuser or not account_is_staff(account)
