"""A certificate's PDF, rendered once per version and served from storage (issue 17). The
bytes are a function of the facts printed on it (name, number, hours, courses, status, the
verification address) and of the template, so those facts make the file's key: a change
(issue, revoke, reinstate, name correction) is a new key, rendered by a task that the service
making the change enqueues, and a download finds the current file or renders it once, under
the certificate's row lock."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache, partial

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.tasks import task
from django.template.loader import get_template
from django.urls import reverse
from django.utils.cache import get_conditional_response

from config.pdf import pdf_render
from config.qr import qr_data_uri
from config.site import site_url

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


@cache
def _template_digest() -> str:
    """A change of the template (a deployment) is a new version of every PDF."""
    return hashlib.sha256(get_template(TEMPLATE).template.source.encode()).hexdigest()


def certificate_pdf_key(certificate: Certificate) -> str:
    """The SHA-256 of everything the PDF shows; equal keys, equal bytes."""
    facts = {
        "template": _template_digest(), "issuer": settings.CREDENTIAL_ISSUER_NAME,
        "verify_url": verification_url(certificate), "name": certificate.holder_name,
        "number": certificate.number, "program": certificate.program.name,
        "window_months": certificate.program.window_months, "hours": str(certificate.hours),
        "issued_on": certificate.issued_on.isoformat(), "evidence": certificate.evidence,
        "status": certificate.status,
    }  # fmt: skip
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class StoredPdf:
    certificate_id: int
    name: str  # in default storage
    key: str  # the ETag
    filename: str  # offered to the browser


def certificate_pdf_stored(certificate: Certificate) -> StoredPdf:
    """Where the certificate's current PDF is (or will be) stored."""
    key = certificate_pdf_key(certificate)
    return StoredPdf(
        certificate.pk, f"{FOLDER}/{certificate.pk}/{key}.pdf", key, f"{certificate.number}.pdf"
    )


def certificate_pdf_open(stored: StoredPdf) -> tuple[File, StoredPdf]:
    """The certificate's current PDF, opened from storage; rendered now if it is not stored
    yet (or was replaced since the certificate was read)."""
    try:
        return default_storage.open(stored.name, "rb"), stored
    except FileNotFoundError:
        stored = certificate_pdf_store(certificate_id=stored.certificate_id)
        return default_storage.open(stored.name, "rb"), stored


@transaction.atomic
def certificate_pdf_store(*, certificate_id: int) -> StoredPdf:
    """Render and store the current version unless stored, under the certificate's row lock,
    so concurrent downloads and the task render it once; earlier versions are removed."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=certificate_id)
    )
    stored = certificate_pdf_stored(certificate)
    if not default_storage.exists(stored.name):
        storage_write_whole(stored.name, certificate_pdf(certificate))
        _remove_other_versions(certificate.pk, keep=stored.name)
    return stored


def storage_write_whole(name: str, content: bytes) -> None:
    """Whole or not at all: on the file system a download running beside the write must never
    read half a file, so it is written aside and renamed (object stores write atomically)."""
    try:
        final = default_storage.path(name)
    except NotImplementedError:
        default_storage.save(name, ContentFile(content))
        return
    aside = default_storage.save(f"{name}.part", ContentFile(content))
    os.replace(default_storage.path(aside), final)


def _remove_other_versions(certificate_id: int, *, keep: str) -> None:
    folder = f"{FOLDER}/{certificate_id}"
    for filename in default_storage.listdir(folder)[1]:
        if f"{folder}/{filename}" != keep:
            default_storage.delete(f"{folder}/{filename}")


@task()
def certificate_pdf_render(*, certificate_id: int) -> str:
    return certificate_pdf_store(certificate_id=certificate_id).name


def certificate_pdf_render_later(*, certificate_id: int) -> None:
    """Render the changed certificate's PDF in the task worker once the change commits;
    called by every service that changes what the PDF shows."""
    transaction.on_commit(partial(certificate_pdf_render.enqueue, certificate_id=certificate_id))


def certificate_pdf_response(
    request: HttpRequest, stored: StoredPdf, *, attachment: bool
) -> HttpResponse:
    """The stored bytes, streamed like a static file, with an ETag (a 304 when it matches)
    and a Content-Length."""
    file, stored = certificate_pdf_open(stored)
    etag = f'"{stored.key}"'
    if not_modified := get_conditional_response(request, etag=etag):
        file.close()
        return not_modified
    response = FileResponse(
        file, content_type="application/pdf", as_attachment=attachment, filename=stored.filename
    )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # revalidated: a revocation shows at once
    return response
