"""Request-wide account rules: the signed-in user read once per request; staff must use
two-factor; the admins are for staff only; the admin's own CSP."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .roles import INSTRUCTOR, user_has_role, user_is_staff_member
from .two_factor import session_passed_two_factor, user_has_totp

STAFF_MFA_REQUIRED = (
    "Staff accounts must turn on two-factor authentication before continuing. "
    "Scan the code with your authenticator app and enter the 6-digit code it shows."
)
STAFF_MFA_CODE_REQUIRED = (
    "Staff must confirm this session with their authenticator code before continuing."
)
ADMIN_NOT_FOR_YOU = "The admin is for registrars only, so here is your own page instead."
_ASSET_PREFIXES = (settings.STATIC_URL, settings.MEDIA_URL)
# A staff member without an authenticator may still reach the account pages that set one up.
_SETUP_PREFIXES = ("/accounts/", *_ASSET_PREFIXES)

Handler = Callable[[HttpRequest], HttpResponse]


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` the user itself rather than a lazy stand-in: the
    two-factor door below reads it on every request anyway, and through the stand-in each of
    the many reads a page makes of it went through a failed attribute lookup (issue 17)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = get_user(request)


class StaffTwoFactorMiddleware:
    """Staff (registrars, superusers, `is_staff`) work only in a session that passed
    two-factor: without an authenticator they set one up first; with one, a session that
    signed in without it confirms a code through allauth's re-authentication."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # Cheapest first: assets and anonymous visitors never cost the role query.
        if request.path.startswith(_ASSET_PREFIXES) or not user.is_authenticated:
            return self.get_response(request)
        if not (user.is_staff or user_is_staff_member(user)):
            return self.get_response(request)
        if not user_has_totp(user):
            if request.path.startswith(_SETUP_PREFIXES):
                return self.get_response(request)
            messages.warning(request, STAFF_MFA_REQUIRED)
            return redirect("mfa_activate_totp")
        if session_passed_two_factor(request) or self._confirms_two_factor(request):
            return self.get_response(request)
        messages.warning(request, STAFF_MFA_CODE_REQUIRED)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")

    @staticmethod
    def _confirms_two_factor(request: HttpRequest) -> bool:
        """The code page itself, and signing out."""
        return request.path in (reverse("mfa_reauthenticate"), reverse("account_logout"))


class AdminDoorMiddleware:
    """A signed-in person who may not use an admin goes to their own home with one message.
    Left to the admins, they were sent to the login page, which sends a signed-in person
    back where they came from: a redirect loop, and an error message added at every turn."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith(settings.WAGTAIL_ADMIN_PATH):
            if user_is_staff_member(user):
                return self.get_response(request)
        elif not request.path.startswith(settings.DJANGO_ADMIN_PATH) or user.is_staff:
            return self.get_response(request)
        messages.info(request, ADMIN_NOT_FOR_YOU)
        return redirect(self._home(user))

    @staticmethod
    def _home(user: object) -> str:
        if user_is_staff_member(user):
            return settings.WAGTAIL_ADMIN_PATH  # a registrar at Django's admin (superusers')
        return reverse("teaching_home" if user_has_role(user, INSTRUCTOR) else "learner_dashboard")


class AdminContentSecurityPolicyMiddleware:
    """Give Wagtail's admin (inline scripts) and the API docs (an inline stylesheet) their
    own policies; listed after Django's CSP middleware so it runs first on the way out."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.WAGTAIL_ADMIN_PATH):
            response._csp_config = settings.ADMIN_CSP  # type: ignore[attr-defined]
        elif request.path.startswith("/api/docs/"):
            response._csp_config = settings.API_DOCS_CSP  # type: ignore[attr-defined]
        return response
