"""The registrar's license review page in the Wagtail admin."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import user_is_staff_member

from .jurisdictions import jurisdiction_name
from .models import License
from .services import LicenseReviewError, license_review


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verified with the issuing board"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to reject; shown to the learner.",
    )  # fmt: skip


def license_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    license = get_object_or_404(
        License.objects.select_related("learner", "profession", "status_changed_by"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            license_review(
                registrar=request.user, license_id=pk,
                verified=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except LicenseReviewError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{license} reviewed.")
            return redirect("wagtailsnippets_learners_license:list")
    return render(request, "learners/admin/license_review.html", {
        "license": license, "where": jurisdiction_name(license.jurisdiction), "form": form,
    })  # fmt: skip
