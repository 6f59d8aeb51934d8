"""Certificates: the learner's own page and downloads, the public verification page and API,
the issuer's published profile and key, and the practitioner directory."""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from rest_framework.request import Request
from rest_framework.response import Response

from config.page_cache import cacheable, gated
from config.site import site_url
from config.throttling import VerificationThrottle, verification_allowed
from learners.jurisdictions import states_and_dc
from learners.models import Profession

from .certificate_pdf import certificate_pdf_response, verification_url
from .certificates import (
    certificate_get_for_user,
    certificate_pdf_for_user,
    credential,
    linkedin_url,
)
from .credentials import issuer_profile
from .models import Certificate
from .serializers import CertificateShape
from .verification import LookupByCodeAPIView, lookup_by_code_schema

CREDENTIAL_WITHHELD = "This certificate is revoked: its verifiable credential is not issued."


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = certificate_get_for_user(user=request.user, pk=pk)
    return render(request, "certification/certificate_detail.html", {
        "certificate": certificate, "verify_url": verification_url(certificate),
        "linkedin_url": linkedin_url(certificate),
    })  # fmt: skip


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    stored = certificate_pdf_for_user(user=request.user, pk=pk)
    return certificate_pdf_response(request, stored, attachment=True)


@login_required
def credential_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = certificate_get_for_user(user=request.user, pk=pk)
    if certificate.status != Certificate.Status.VALID:
        # A signed credential would outlive the revocation wherever it is shown.
        return HttpResponse(CREDENTIAL_WITHHELD, status=410, content_type="text/plain")
    response = JsonResponse(credential(certificate), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response


def public_facts(certificate: Certificate) -> dict:
    """What anyone may know of a certificate (DESIGN.md 4): nothing else personal."""
    revoked_on = certificate.revoked_on
    return {
        "status": certificate.status, "name": certificate.holder_name,
        "program": certificate.program.name, "number": certificate.number,
        "hours": float(certificate.hours), "issued_on": certificate.issued_on.isoformat(),
        "revoked_on": revoked_on.isoformat() if revoked_on else None,
        "revoked_reason": certificate.status_reason if revoked_on else None,
    }  # fmt: skip


def _by_code(code: str) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("program"), verification_code=code)


def verification_refused(request: HttpRequest) -> HttpResponse | None:
    """The page a client over the verification limit gets, saying when to come back."""
    throttle = VerificationThrottle()
    if throttle.allow_request(request, None):
        return None
    response = render(request, "certification/verify_throttled.html", status=429)
    response["Retry-After"] = str(math.ceil(throttle.wait() or 0))
    return response


@gated(verification_allowed)  # a kept copy counts against the same limit
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    if refused := verification_refused(request):
        return refused
    try:
        certificate = _by_code(code)
    except Http404:
        return render(request, "certification/verify_unknown.html", {"code": code}, status=404)
    return cacheable(render(request, "certification/verify.html", {
        "certificate": certificate, "facts": public_facts(certificate),
    }))  # fmt: skip


class CertificateAPIView(LookupByCodeAPIView):
    @lookup_by_code_schema(
        shape=CertificateShape,
        unknown="No certificate has this code.",
        description="A certificate's status, holder, program, hours and issue date; for a "
        "revoked one, the date and reason.",
    )
    def get(self, request: Request, code: str) -> Response:
        return cacheable(Response(public_facts(_by_code(code))))


def issuer(request: HttpRequest) -> JsonResponse:
    """The issuer's profile with its public key: what verifies our credentials offline."""
    return JsonResponse(issuer_profile(site_url()))


def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    profession = request.GET.get("profession", "")
    state = request.GET.get("state", "")
    listed = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID, learner__learner_profile__directory_listed=True
        )
        .select_related("program", "learner__learner_profile__profession")
        .order_by("holder_name")
    )
    if query:
        listed = listed.filter(
            Q(holder_name__icontains=query) | Q(learner__learner_profile__city__icontains=query)
        )
    if profession:
        listed = listed.filter(learner__learner_profile__profession__code=profession)
    if state:
        listed = listed.filter(learner__learner_profile__state=state)
    return render(request, "certification/directory.html", {
        "listed": listed, "query": query, "profession": profession, "state": state,
        "professions": Profession.objects.all(), "states": states_and_dc(),
    })  # fmt: skip
