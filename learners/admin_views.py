"""The registrar's review pages in the Wagtail admin: licenses and outside training, each
verified or rejected with a reason. A license decision is an input of certification, so the
view, at the top of that flow, then asks certification to re-evaluate the learner."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import user_is_staff_member
from certification.programs import certificates_reevaluate_later
from config.errors import error_on_form

from .jurisdictions import jurisdiction_name
from .models import License, OutsideTraining
from .services import ReviewError, license_review, outside_training_review


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verified"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to reject; shown to the learner.",
    )  # fmt: skip


def _review(
    request: HttpRequest, *, decide: Callable[..., object], done_url: str, template: str,
    context: dict,
) -> HttpResponse:  # fmt: skip
    """Show the record and a decision form; `decide(verified=, reason=)` records it."""
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide(
                verified=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except ReviewError as error:
            error_on_form(form, error, "reason")
        else:
            messages.success(request, "Decision saved.")
            return redirect(done_url)
    return render(request, template, {**context, "form": form})


def license_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    license = get_object_or_404(
        License.objects.select_related(
            "learner__learner_profile", "profession", "status_changed_by"
        ),
        pk=pk,
    )

    def decide(*, verified: bool, reason: str) -> None:
        license_review(registrar=request.user, license_id=pk, verified=verified, reason=reason)
        certificates_reevaluate_later(learner_ids=[license.learner_id])

    return _review(
        request, decide=decide, done_url="wagtailsnippets_learners_license:list",
        template="learners/admin/license_review.html",
        context={"license": license, "where": jurisdiction_name(license.jurisdiction)},
    )  # fmt: skip


def outside_training_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        OutsideTraining.objects.select_related("learner__learner_profile", "reviewed_by"), pk=pk
    )

    def decide(*, verified: bool, reason: str) -> object:
        return outside_training_review(
            registrar=request.user, training_id=pk, verified=verified, reason=reason
        )

    return _review(
        request, decide=decide, done_url="wagtailsnippets_learners_outsidetraining:list",
        template="learners/admin/outside_training_review.html", context={"training": training},
    )  # fmt: skip
