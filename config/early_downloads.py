"""A learner's own stored documents, answered from a kept copy right after the session check
(issue 17: the certificate PDF at under half a bare Django's throughput, most of it in the
middleware between the page cache and the view).

The first download of an address in config/early_urls.py takes the whole way, and its answer
(the bytes and every header the middleware below added: X-Frame-Options, the CSP) is
kept under the signed-in user's id and that address, stamped with the version the address is
kept under. The next GET by that same user is answered here once Django's own session and
authentication hooks have run, from that copy, read in the session's round trip
(config/read_ahead.py); a change of what the document shows bumps the version, and the next
download takes the whole way again. Headers added above (the request id, security headers, the
permissions policy) are added to every answer as usual.

Kept only: a 200 that is whole (not streamed) and sets no cookie, for a user who is not staff.
What a kept answer passes by does not apply to a stored file of one's own: allauth's
login-stage housekeeping, messages (a PDF shows none), the staff two-factor and admin doors
(staff always take the whole way), the rule history (a download writes nothing), the NUL check
(these addresses take digits only) and Wagtail's redirects. A visitor who is not signed in, a
session whose password changed or whose user was deactivated (Django's check of the session,
on the user's current row: accounts/user_cache.py), someone else's document (a 404, never
kept), HEAD and every other request take the whole way."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils.cache import get_conditional_response

from accounts.roles import user_is_staff_member

from .early_urls import KEPT_UNDER
from .page_cache import versioned
from .read_ahead import read_ahead_want
from .redis_cache import POINTED

Handler = Callable[[HttpRequest], HttpResponse]
EARLY_URLCONF = "config.early_urls"
# Only bounds memory (a PDF is tens of KB): freshness comes from the version.
KEPT_SECONDS = 15 * 60


@lru_cache(maxsize=4096)  # every signed-in GET asks: a resolve costs more than the lookup
def _kept_under(path: str) -> str | None:
    """The version key an early address's answers are kept under; None for other addresses."""
    try:
        match = get_resolver(EARLY_URLCONF).resolve(path)
    except Resolver404:
        return None
    return KEPT_UNDER[match.url_name]


def answer_key(user_id: object, path: str) -> str:
    return f"answer:{user_id}:{path}"


def _keeps(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


class EarlyDownloadMiddleware:
    """Sits right below the page cache, above the session and authentication middleware,
    whose work it does for the addresses it answers: the session middleware's own hook, and
    Django's `get_user`."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.sessions = SessionMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or (version_key := _kept_under(request.path_info)) is None
        ):
            return self.get_response(request)
        path = request.path_info
        read_ahead_want(version_key, answer_key(POINTED, path))  # before the session loads
        self.sessions.process_request(request)
        # Django's check of the session against the user's current row, as authentication
        # does, without its lazy wrapper: the whole way sets its own.
        request.user = user = get_user(request)
        if not user.is_authenticated or user.is_staff or user_is_staff_member(user):
            return self.get_response(request)
        response = versioned(
            answer_key(user.pk, path), lambda: self.get_response(request),
            version_key=version_key, timeout=KEPT_SECONDS, keeps=_keeps,
        )  # fmt: skip
        # A kept copy answers If-None-Match as the view would (the view's own answer passes).
        return get_conditional_response(request, etag=response.get("ETag"), response=response)
