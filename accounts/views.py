"""The signed-in person's account hub, and the old login doors that now lead to allauth."""

from __future__ import annotations

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .roles import user_is_staff_member
from .two_factor import user_has_totp


@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/overview.html",
        {
            "has_totp": user_has_totp(request.user),
            "is_staff_member": user_is_staff_member(request.user),
        },
    )


def login_elsewhere(request: HttpRequest, default_next: str = "") -> HttpResponseRedirect:
    """Wagtail's admin and page-privacy logins and Django's admin login authenticate on
    their own, past allauth's email verification, two-factor step and rate limits. Their
    paths lead here instead: whatever the method, nothing is checked or signed in, and the
    visitor goes to allauth's login with `next` kept."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = default_next
    login_url = resolve_url("account_login")
    if next_url:
        login_url = f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(login_url)
