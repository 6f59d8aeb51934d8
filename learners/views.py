"""The learner's profile and licenses; each view reads and writes only the signed-in user's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from certification.rule_cache import VERSION_KEY as RULES_VERSION
from config.dates import provider_today
from config.fragment_cache import kept_page

from . import selectors
from .dashboard import dashboard_for, rule_notices_shown
from .fingerprint import learner_fingerprint
from .forms import LicenseForm, ProfileForm
from .jurisdictions import jurisdiction_name
from .models import LearnerProfile, License, RuleChangeNotice
from .services import ReviewError, license_correct, license_withdraw, rule_notice_dismiss
from .transcript_pdf import transcript_pdf_render_later


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and allowed else default


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_get_for_user(user=request.user) or LearnerProfile(
        user=request.user, legal_name=request.user.get_full_name()
    )
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        if "legal_name" in form.changed_data:  # the name the transcript is made out to
            transcript_pdf_render_later(learner_id=request.user.pk)
        messages.success(request, "Your profile is saved.")
        return redirect(_next_url(request, "learner_profile"))
    licenses = [
        (lic, jurisdiction_name(lic.jurisdiction))
        for lic in selectors.licenses_for_user(user=request.user)
    ]
    return render(request, "learners/profile.html", {
        "form": form, "licenses": licenses, "next": _next_url(request, ""),
    })  # fmt: skip


@login_required
def license_add(request: HttpRequest) -> HttpResponse:
    form = LicenseForm(request.POST or None, learner=request.user, today=provider_today())
    if request.method == "POST" and form.is_valid():
        form.instance.learner = request.user
        form.save()
        messages.success(request, "License added. A registrar will verify it.")
        return redirect("learner_profile")
    return render(request, "learners/license_form.html", {"form": form})


def _pending_license(request: HttpRequest, pk: int) -> License:
    """The learner's own license (404 for anyone else's), only while it awaits review."""
    license = get_object_or_404(License, pk=pk, learner=request.user)
    if not license.learner_may_change:
        raise Http404("Only a license awaiting verification can be changed here.")
    return license


@login_required
def license_edit(request: HttpRequest, pk: int) -> HttpResponse:
    license = _pending_license(request, pk)
    form = LicenseForm(
        request.POST or None, instance=license, learner=request.user, today=provider_today()
    )
    if request.method == "POST" and form.is_valid():
        try:
            license_correct(learner=request.user, license_id=pk, changes=form.cleaned_data)
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect("learner_profile")
        messages.success(request, "License corrected. A registrar will verify it.")
        return redirect("learner_profile")
    return render(request, "learners/license_form.html", {"form": form, "license": license})


@login_required
@require_POST
def license_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _pending_license(request, pk)
    try:
        license_withdraw(learner=request.user, license_id=pk)
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "License withdrawn.")
    return redirect("learner_profile")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Kept whole per learner while their record (rule-change notices included) is unchanged."""
    learner = request.user
    return kept_page(
        request, "learners/dashboard.html",
        ("dashboard", learner.pk, learner_fingerprint(learner.pk)),
        lambda: {
            "dashboard": dashboard_for(learner=learner, today=provider_today()),
            "rule_notices": rule_notices_shown(learner=learner),
        },
        versions=[RULES_VERSION],
    )  # fmt: skip


@login_required
@require_POST
def rule_notice_hide(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(RuleChangeNotice, pk=pk, learner=request.user)  # 404 for anyone else's
    if rule_notice_dismiss(learner=request.user, notice_id=pk):
        messages.success(request, "Notice dismissed.")
    return redirect("learner_dashboard")
