"""The signed-in user's row and role names, kept in the shared cache between requests
(issue 17: every signed-in request read the user and then the user's groups, two queries
before any view ran); for staff also their permissions, whether they have an authenticator
and their Wagtail profile (four more queries on every admin page).

Fresh by version, never by timer, like the public pages (config/page_cache.py): each user has a
version, bumped by every save or delete of the account, its authenticators and its Wagtail
profile, and every change of its groups or permissions; one
version for all users is bumped by any change to a group itself (renamed, deleted, its
permissions) or a membership change made from the group's side without naming the users.
Each bump happens at once and again on commit, and an entry is stamped with the versions read
before its row was, so a row read while a change commits is never served after it. A password
change or a deactivation is therefore seen by the very next request: Django's session check
and `is_active` check run on the fresh row. Losing a version key only costs a miss.

The session store reads these keys in its own round trip (accounts/sessions.py,
config/read_ahead.py): `user_get_cached` of that same user uses them once.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.users.models import UserProfile

from config.page_cache import bump, version_now
from config.read_ahead import read_ahead_take
from config.redis_cache import POINTED

from .roles import load_role_names, user_is_staff_member
from .two_factor import load_totp

ALL_USERS_VERSION_KEY = "auth:users:version"
TIMEOUT = 60 * 60  # only bounds memory: an entry of someone who left is dropped in an hour


def _version_key(user_id: int) -> str:
    return f"auth:user:{user_id}:version"


def _entry_key(user_id: int) -> str:
    return f"auth:user:{user_id}"


def _keys(user_id: Any) -> list[str]:
    return [ALL_USERS_VERSION_KEY, _version_key(user_id), _entry_key(user_id)]


READ_AHEAD_KEYS = _keys(POINTED)  # what a session load reads for its user


def _found(user_id: int) -> dict[str, Any]:
    found = read_ahead_take(_keys(user_id))
    return cache.get_many(_keys(user_id)) if found is None else found


def user_get_cached(user_id: int) -> Any:
    """The user with this id, as in the database at the latest change, with their role names
    loaded (`accounts.roles`); None when there is no such user."""
    version_keys = [ALL_USERS_VERSION_KEY, _version_key(user_id)]
    found = _found(user_id)
    versions = tuple(found.get(key) or version_now(key) for key in version_keys)
    kept = found.get(_entry_key(user_id))
    if kept is not None and kept[0] == versions:
        return kept[1]
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        load_role_names(user)
        if user.is_staff or user_is_staff_member(user):
            _load_staff_facts(user)
    cache.set(_entry_key(user_id), (versions, user), TIMEOUT)
    return user


def _load_staff_facts(user: Any) -> None:
    """What every request of someone who may use an admin asks besides the row: their
    permissions (the admin's door; Django's backend keeps them on the object), whether they
    have an authenticator (two-factor is required of staff) and their Wagtail profile."""
    user.get_all_permissions()
    load_totp(user)
    hasattr(user, "wagtail_userprofile")  # the profile, or its absence, is kept on the object


def _now_and_on_commit(key: str) -> None:
    bump(key)
    transaction.on_commit(lambda: bump(key))


def user_changed(user_id: int) -> None:
    _now_and_on_commit(_version_key(user_id))


def all_users_changed() -> None:
    _now_and_on_commit(ALL_USERS_VERSION_KEY)


def _on_user_saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    user_changed(instance.pk)


def _on_membership_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):  # user.groups.add(), user.user_permissions.set()
        user_changed(instance.pk)
    elif reverse and isinstance(instance, Group) and pk_set:  # group.user_set.add(user, ...)
        for user_id in pk_set:
            user_changed(user_id)
    else:  # a group's permissions, a permission's holders, or group.user_set.clear()
        all_users_changed()


def _on_group_changed(sender: type, **kwargs: Any) -> None:
    all_users_changed()


def _on_users_row_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """An authenticator or a Wagtail profile: kept with its user (`_load_staff_facts`)."""
    user_changed(instance.user_id)


def connect() -> None:
    user_model = settings.AUTH_USER_MODEL
    post_save.connect(_on_user_saved, sender=user_model, dispatch_uid="user_cache_save")
    post_delete.connect(_on_user_saved, sender=user_model, dispatch_uid="user_cache_delete")
    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_on_membership_changed, sender=through, dispatch_uid=f"uc_{through}")
    for model in (Group, Permission):
        post_save.connect(_on_group_changed, sender=model, dispatch_uid=f"uc_save_{model}")
        post_delete.connect(_on_group_changed, sender=model, dispatch_uid=f"uc_del_{model}")
    for model in (Authenticator, UserProfile):
        post_save.connect(_on_users_row_changed, sender=model, dispatch_uid=f"uc_save_{model}")
        post_delete.connect(_on_users_row_changed, sender=model, dispatch_uid=f"uc_del_{model}")
