"""Request-wide account rules: staff must use two-factor; the admin's own CSP."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .roles import user_is_staff_member

STAFF_MFA_REQUIRED = (
    "Staff accounts must turn on two-factor authentication before continuing. "
    "Scan the code with your authenticator app and enter the 6-digit code it shows."
)
# Paths a staff member without two-factor may still reach: the pages that set it up,
# sign-out, and assets.
_MFA_EXEMPT_PREFIXES = ("/accounts/", settings.STATIC_URL, settings.MEDIA_URL)

Handler = Callable[[HttpRequest], HttpResponse]


class StaffTwoFactorMiddleware:
    """Send a registrar or superuser without TOTP to set it up before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_mfa_setup(request):
            messages.warning(request, STAFF_MFA_REQUIRED)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa_setup(request: HttpRequest) -> bool:
        if request.path.startswith(_MFA_EXEMPT_PREFIXES):
            return False
        user = request.user
        if not user_is_staff_member(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
