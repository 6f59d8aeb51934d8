"""The registrar's certificate page in the Wagtail admin: revoke, reinstate, correct the name,
each with a reason (logged), and the PDF as it stands."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.roles import user_is_staff_member
from config.errors import error_on_form
from learners.selectors import learner_display_name

from .certificate_pdf import certificate_pdf_response, certificate_pdf_stored
from .certificates import CertificateActionError, certificate_rename, certificate_set_status
from .evidence import evidence_read
from .models import Certificate


class StatusForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
    )  # fmt: skip

    def __init__(self, *args: object, revoking: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            "Shown on the public verification page."
            if revoking
            else "Kept in the certificate's log; the verification page shows it valid again."
        )


class RenameForm(forms.Form):
    name = forms.CharField(label="Name as it should read", max_length=200)
    reason = forms.CharField(required=False, help_text="e.g. the learner's request of 3 May.")


def certificate_manage_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(
        Certificate.objects.select_related("program", "learner__learner_profile"), pk=pk
    )
    action = request.POST.get("action")
    # Own id prefixes: both forms have a reason field on the same page.
    status_form = StatusForm(
        request.POST if action in ("revoke", "reinstate") else None, auto_id="status_%s",
        revoking=certificate.is_valid,
    )  # fmt: skip
    rename_form = RenameForm(
        request.POST if action == "rename" else None, initial={"name": certificate.holder_name},
        auto_id="rename_%s",
    )  # fmt: skip
    try:
        if action in ("revoke", "reinstate") and status_form.is_valid():
            certificate_set_status(
                certificate_id=pk, valid=action == "reinstate",
                reason=status_form.cleaned_data["reason"], registrar=request.user,
            )  # fmt: skip
            messages.success(request, f"Certificate {certificate.number}: {action}d.")
            return redirect("certification_certificate_manage", pk=pk)
        if action == "rename" and rename_form.is_valid():
            certificate_rename(
                certificate_id=pk, name=rename_form.cleaned_data["name"],
                reason=rename_form.cleaned_data["reason"], registrar=request.user,
            )  # fmt: skip
            messages.success(request, f"Certificate {certificate.number}: name corrected.")
            return redirect("certification_certificate_manage", pk=pk)
    except CertificateActionError as error:
        error_on_form(rename_form if action == "rename" else status_form, error, "reason")
    return render(request, "certification/admin/certificate_manage.html", {
        "certificate": certificate, "status_form": status_form, "rename_form": rename_form,
        "evidence": evidence_read(certificate.evidence),
        "learner_name": learner_display_name(certificate.learner),
    })  # fmt: skip


def certificate_admin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate.objects.select_related("program"), pk=pk)
    return certificate_pdf_response(request, certificate_pdf_stored(certificate), attachment=False)
