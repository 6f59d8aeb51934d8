"""A certificate's documents (PDF with a QR code, Open Badges credential, LinkedIn link) and
the registrar's actions on it (revoke, reinstate, correct the name), each with a reason and
logged. Documents are built from the certificate alone, so they regenerate identically; the
PDF is stored per version (certificate_pdf.py), and each action here has it rendered anew."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import User
from config.dates import provider_moment
from config.errors import ApplicationError
from config.page_cache import versioned
from config.site import site_url

from .certificate_pdf import (
    CertificatePdf,
    certificate_pdf_render_later,
    certificate_pdf_stored,
    verification_url,
)
from .credentials import CONTEXTS, issuer_id, sign
from .models import Certificate

REVOKE_LOG_ACTION = "dn.certificate.revoked"
REINSTATE_LOG_ACTION = "dn.certificate.reinstated"
RENAME_LOG_ACTION = "dn.certificate.renamed"
REASON_NEEDED = "Give a reason: it is kept with the certificate."
ALREADY = "The certificate is already {status}."
SAME_NAME = "That is already the name on the certificate."
PDF_KEPT_SECONDS = 60 * 60  # only bounds memory: freshness comes from the version


class CertificateActionError(ApplicationError):
    code = "certificate_refused"


def certificate_get_for_user(*, user: User, pk: int) -> Certificate:
    """The user's own certificate, with its program; anyone else's is a 404."""
    return get_object_or_404(Certificate.objects.select_related("program"), pk=pk, learner=user)


def _pdf_cache_key(user_id: object, pk: int) -> str:
    return f"certificate-pdf:{user_id}:{pk}"


def certificate_pdf_for_user(*, user: User, pk: int) -> CertificatePdf:
    """The user's own certificate's stored PDF (anyone else's is a 404), kept in the shared
    cache until the next save of certification data (config/page_cache.py's version, which a
    revocation, reinstatement or name correction bumps at once and again on commit): a
    download costs one cache round trip, not a query (issue 17). A 404 is never kept."""
    return versioned(
        _pdf_cache_key(user.pk, pk),
        lambda: certificate_pdf_stored(certificate_get_for_user(user=user, pk=pk)),
        timeout=PDF_KEPT_SECONDS,
    )


def credential(certificate: Certificate) -> dict:
    """The certificate as a signed Open Badges 3.0 OpenBadgeCredential."""
    base = site_url()
    program = certificate.program
    unsigned = {
        "@context": CONTEXTS,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(base), "type": ["Profile"],
                   "name": settings.CREDENTIAL_ISSUER_NAME},
        "validFrom": _issued_moment(certificate),
        "name": program.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [{"type": "IdentityObject", "identityHash": certificate.number,
                            "identityType": "identifier", "hashed": False}],
            "achievement": {
                "id": f"{base}/issuer/programs/{program.code}",
                "type": ["Achievement"],
                "name": program.name,
                "description": _description(certificate),
                "criteria": {"narrative": "Issued once every requirement of the program holds."},
            },
        },
    }  # fmt: skip
    return sign(unsigned, base_url=base, created=_issued_moment(certificate))


def _issued_moment(certificate: Certificate) -> str:
    """xsd:dateTime with the provider's UTC offset, so that the date it names is the one on
    the certificate's page (2026-11-30T23:25:00-05:00, not 2026-12-01T04:25:00+00:00)."""
    return provider_moment(certificate.issued_at).isoformat(timespec="seconds")


def _description(certificate: Certificate) -> str:
    evidence, program = certificate.evidence, certificate.program
    courses = " and ".join(course["code"] for course in evidence["courses"])
    return (
        f"{courses} completed, {evidence['hours']['total']} hours within "
        f"{program.window_months} months, a verified license."
    )


def linkedin_url(certificate: Certificate) -> str:
    return "https://www.linkedin.com/profile/add?" + urlencode({
        "startTask": "CERTIFICATION_NAME", "name": certificate.program.name,
        "organizationName": settings.CREDENTIAL_ISSUER_NAME,
        "issueYear": certificate.issued_on.year, "issueMonth": certificate.issued_on.month,
        "certUrl": verification_url(certificate), "certId": certificate.number,
    })  # fmt: skip


def _locked(certificate_id: int) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate_id)


@transaction.atomic
def certificate_set_status(
    *, certificate_id: int, valid: bool, reason: str, registrar: User
) -> Certificate:
    """Revoke (valid=False) or reinstate (valid=True), with a reason; logged."""
    certificate = _locked(certificate_id)
    status = Certificate.Status.VALID if valid else Certificate.Status.REVOKED
    if not reason.strip():
        raise CertificateActionError(REASON_NEEDED)
    if certificate.status == status:
        raise CertificateActionError(
            ALREADY.format(status=certificate.get_status_display().lower())
        )
    certificate.status, certificate.status_reason = status, reason.strip()
    certificate.status_changed_at, certificate.status_changed_by = timezone.now(), registrar
    certificate.save(
        update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
    )
    log(instance=certificate, user=registrar,
        action=REINSTATE_LOG_ACTION if valid else REVOKE_LOG_ACTION,
        data={"reason": certificate.status_reason})  # fmt: skip
    certificate_pdf_render_later(certificate_id=certificate.pk)  # marked REVOKED, or not
    return certificate


@transaction.atomic
def certificate_rename(
    *, certificate_id: int, name: str, reason: str, registrar: User
) -> Certificate:
    """Correct the holder's name; the number and issue date stay. Logged with both names."""
    certificate = _locked(certificate_id)
    if not reason.strip():
        raise CertificateActionError(REASON_NEEDED)
    if name.strip() == certificate.holder_name:
        raise CertificateActionError(SAME_NAME)
    previous, certificate.holder_name = certificate.holder_name, name.strip()
    certificate.save(update_fields=["holder_name"])
    change = {"from": previous, "to": certificate.holder_name, "reason": reason.strip()}
    log(instance=certificate, user=registrar, action=RENAME_LOG_ACTION, data=change)
    certificate_pdf_render_later(certificate_id=certificate.pk)
    return certificate
