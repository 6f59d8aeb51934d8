"""A learner's own stored documents, answered right after authentication (issue 17).

A certificate PDF is a kept file and one cache read (certification/certificates.py), yet the
middleware below authentication cost it more than the file did. For the addresses in
config/early_urls.py, a signed-in learner's GET is answered here; what it passes by does not
apply to a stored file of their own: allauth's login-stage housekeeping, messages (a PDF shows
none), the staff two-factor and admin doors (learners only come this way), the rule history (a
download writes nothing), the NUL check (these addresses take digits only) and Wagtail's
redirects. Everything above still applies: the request log, security headers, the permissions
policy, X-Frame-Options and the CSP, sessions, CSRF and authentication itself.

What the view reads from the cache is read with the session, in one round trip
(config/read_ahead.py). Staff, visitors who are not signed in, and a 404 (someone else's
document) take the whole way, so they meet the two-factor door, the login page and the site's
404 page as anywhere else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, get_resolver

from accounts.roles import user_is_staff_member

from .early_urls import READ_AHEAD
from .read_ahead import read_ahead_want

Handler = Callable[[HttpRequest], HttpResponse]
EARLY_URLCONF = "config.early_urls"


def _early_view(path: str) -> ResolverMatch | None:
    try:
        return get_resolver(EARLY_URLCONF).resolve(path)
    except Resolver404:
        return None


class EarlyDownloadMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and (match := _early_view(request.path_info)):
            if wants := READ_AHEAD.get(match.url_name):
                read_ahead_want(*wants(**match.kwargs))  # before the session loads
            user = request.user
            if user.is_authenticated and not (user.is_staff or user_is_staff_member(user)):
                try:
                    return match.func(request, *match.args, **match.kwargs)
                except Http404:
                    pass  # the whole way answers it with the site's 404 page
        return self.get_response(request)
