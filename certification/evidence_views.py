"""Evidence packs: the learner prepares one from the self-check and downloads it; anyone
holding its code checks it on the public page or the API (rate limited like certificates),
which show only what a verifier needs: whose, which state, when, the hash, and whether the
records still say the same."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import error_messages
from learners.jurisdictions import states_and_dc

from .certificate_views import verification_refused
from .evidence_pack_pdf import evidence_pack_pdf_response, evidence_verification_url
from .evidence_packs import (
    EvidencePackError,
    evidence_pack_create,
    evidence_pack_get_for_user,
    evidence_pack_standing,
)
from .models import EvidencePack
from .serializers import EvidencePackShape
from .verification import LookupByCodeAPIView, lookup_by_code_schema


@login_required
@require_POST
def evidence_prepare(request: HttpRequest) -> HttpResponse:
    jurisdiction = request.POST.get("jurisdiction", "")
    try:
        pack = evidence_pack_create(learner=request.user, jurisdiction=jurisdiction)
    except EvidencePackError as error:
        error_messages(request, error)
        return redirect("my_eligibility")
    return redirect("evidence_detail", pk=pack.pk)


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = evidence_pack_get_for_user(user=request.user, pk=pk)
    return render(request, "certification/evidence_detail.html", {
        "pack": pack, "standing": evidence_pack_standing(pack),
        "verify_url": evidence_verification_url(pack),
        "state_name": states_and_dc().get(pack.jurisdiction, pack.jurisdiction),
    })  # fmt: skip


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = evidence_pack_get_for_user(user=request.user, pk=pk)
    if not pack.is_ready:  # the worker has not rendered it yet: its page says so
        return redirect("evidence_detail", pk=pack.pk)
    return evidence_pack_pdf_response(request, pack)


def public_facts(pack: EvidencePack) -> dict:
    """What anyone holding the code may know of a pack: whose and for which state, its
    status then, when it was produced, its hashes, and whether it is still current."""
    standing = evidence_pack_standing(pack)
    return {
        "status": standing.status, "changes": list(standing.changes),
        "name": pack.snapshot["name"], "jurisdiction": pack.jurisdiction,
        "profession": pack.profession, "eligibility": pack.snapshot["status"],
        "as_of": pack.as_of.isoformat(), "produced_on": pack.produced_on.isoformat(),
        "sha256": pack.sha256, "pdf_sha256": pack.pdf_sha256 or None,
    }  # fmt: skip


def _by_code(code: str) -> EvidencePack:
    return get_object_or_404(EvidencePack, code=code)


def evidence_verify(request: HttpRequest, code: str) -> HttpResponse:
    if refused := verification_refused(request):
        return refused
    try:
        pack = _by_code(code)
    except Http404:
        return render(request, "certification/evidence_unknown.html", {"code": code}, status=404)
    # Never kept in the page cache: a correction to the ledger changes the answer.
    return render(request, "certification/evidence_verify.html", {
        "pack": pack, "facts": public_facts(pack),
        "state_name": states_and_dc().get(pack.jurisdiction, pack.jurisdiction),
    })  # fmt: skip


class EvidencePackAPIView(LookupByCodeAPIView):
    @lookup_by_code_schema(
        shape=EvidencePackShape,
        unknown="No evidence pack has this code.",
        description="An evidence pack's holder, state, date, hashes, and whether the records "
        "it was built from still say the same (`current`) or have changed since "
        "(`superseded`, with what changed).",
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(public_facts(_by_code(code)))  # never cached: see evidence_verify
