"""Two-factor facts: does an account have an authenticator, and did *this session* use it.

allauth records every authentication step of a session (password, mfa, ...) in the session
itself; a staff session counts as two-factor only when one of those steps was `mfa`, so a
session opened any other way (an old login form, a password reset, a session from before
the authenticator existed) is sent through allauth's two-factor step again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest


def user_has_totp(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Read once onto a user kept in the shared cache (`load_totp`), else from the database."""
    known = getattr(user, "_has_totp", None)
    return _totp_stored(user) if known is None else known


def load_totp(user: AbstractBaseUser) -> None:
    """Read whether the user has an authenticator onto the user object (kept with it:
    accounts/user_cache.py, whose version every save or delete of an authenticator bumps)."""
    user._has_totp = _totp_stored(user)  # type: ignore[attr-defined]


def _totp_stored(user: AbstractBaseUser | AnonymousUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_passed_two_factor(request: HttpRequest) -> bool:
    """Return whether the signed-in user completed allauth's two-factor step in this session
    (at login, or by re-authenticating with a code)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
