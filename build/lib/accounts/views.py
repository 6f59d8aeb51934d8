"""The signed-in person's account hub; allauth serves the pages it links to."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .roles import user_is_staff_member


@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    return render(
        request,
        "accounts/overview.html",
        {
            "has_totp": has_totp,
            "is_staff_member": user_is_staff_member(request.user),
        },
    )
