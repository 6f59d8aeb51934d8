"""allauth's backend (sign-in by email, permissions from groups), reading the signed-in user
through the shared cache (accounts/user_cache.py) instead of the database on every request."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .user_cache import user_get_cached


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> Any:
        user = user_get_cached(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
