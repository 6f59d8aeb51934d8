"""A certificate's PDF, rendered once per version and served from storage (issue 17). The
bytes are a function of the facts printed on it (name, number, hours, courses, status, the
verification address) and of the template, so those facts make the file's key: a change
(issue, revoke, reinstate, name correction) is a new key, rendered by a task that the service
making the change enqueues, and a download finds the current file or renders it once, under
the certificate's row lock."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.tasks import task
from django.urls import reverse

from config.pdf import pdf_render
from config.qr import qr_data_uri
from config.site import site_url
from config.stored_pdf import (
    StoredPdf,
    facts_key,
    stored_pdf,
    stored_pdf_keep,
    stored_pdf_response,
    template_digest,
)

from .models import Certificate

TEMPLATE = "certification/certificate_pdf.html"
FOLDER = "certificates"


def verification_url(certificate: Certificate) -> str:
    return site_url() + reverse("certificate_verify", args=[certificate.verification_code])


def certificate_pdf(certificate: Certificate) -> bytes:
    """Render the PDF (about a third of a second): the same bytes for the same facts."""
    url = verification_url(certificate)
    return pdf_render(TEMPLATE, {
        "certificate": certificate, "verify_url": url, "qr": qr_data_uri(url),
        "issuer": settings.CREDENTIAL_ISSUER_NAME,
    })  # fmt: skip


def certificate_pdf_key(certificate: Certificate) -> str:
    """The SHA-256 of everything the PDF shows; equal keys, equal bytes."""
    return facts_key({
        "template": template_digest(TEMPLATE), "issuer": settings.CREDENTIAL_ISSUER_NAME,
        "verify_url": verification_url(certificate), "name": certificate.holder_name,
        "number": certificate.number, "program": certificate.program.name,
        "window_months": certificate.program.window_months, "hours": str(certificate.hours),
        "issued_on": certificate.issued_on.isoformat(), "evidence": certificate.evidence,
        "status": certificate.status,
    })  # fmt: skip


def _stored(certificate: Certificate) -> StoredPdf:
    return stored_pdf(f"{FOLDER}/{certificate.pk}", certificate_pdf_key(certificate))


@dataclass(frozen=True)
class CertificatePdf:
    """What a download needs, without the certificate's row (the shared cache keeps it:
    `certificates.certificate_pdf_for_user`)."""

    certificate_id: int
    stored: StoredPdf
    filename: str  # offered to the browser


def certificate_pdf_stored(certificate: Certificate) -> CertificatePdf:
    """Where the certificate's current PDF is (or will be) stored."""
    return CertificatePdf(certificate.pk, _stored(certificate), f"{certificate.number}.pdf")


@transaction.atomic
def certificate_pdf_store(*, certificate_id: int) -> StoredPdf:
    """Render and store the current version unless stored, under the certificate's row lock,
    so concurrent downloads and the task render it once; earlier versions are removed."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=certificate_id)
    )
    return stored_pdf_keep(_stored(certificate), partial(certificate_pdf, certificate))


@task()
def certificate_pdf_render(*, certificate_id: int) -> str:
    return certificate_pdf_store(certificate_id=certificate_id).name


def certificate_pdf_render_later(*, certificate_id: int) -> None:
    """Render the changed certificate's PDF in the task worker once the change commits;
    called by every service that changes what the PDF shows."""
    transaction.on_commit(partial(certificate_pdf_render.enqueue, certificate_id=certificate_id))


def certificate_pdf_response(
    request: HttpRequest, pdf: CertificatePdf, *, attachment: bool
) -> HttpResponse:
    """The stored bytes (rendered now if missing), with an ETag: a revocation shows at once."""
    return stored_pdf_response(
        request, pdf.stored, filename=pdf.filename, attachment=attachment,
        store=partial(certificate_pdf_store, certificate_id=pdf.certificate_id),
    )  # fmt: skip
