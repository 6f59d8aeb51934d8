"""The API's rate limits per client (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): an anonymous
caller is counted by address under `anon`, a signed-in one by account under `user`; each
caller is counted once, under the one limit that is theirs."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _signed_in(request: HttpRequest) -> bool:
    # A kept answer's gate asks before the session is read (config/page_cache.py): a request
    # without a user there carries no session cookie, so it is anonymous.
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class AnonymousRateThrottle(AnonRateThrottle):
    def get_cache_key(self, request: HttpRequest, view: object) -> str | None:
        if _signed_in(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignedInRateThrottle(UserRateThrottle):
    def get_cache_key(self, request: HttpRequest, view: object) -> str | None:
        if not _signed_in(request):
            return None  # the anonymous limit is theirs
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def anonymous_rate_allowed(request: HttpRequest) -> bool:
    """The anonymous limit, asked by a kept answer before it is served."""
    return AnonymousRateThrottle().allow_request(request, None)
