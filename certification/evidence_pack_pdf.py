"""An evidence pack's PDF (issue 18, section 3): rendered once from the pack's snapshot, its
hash and its verification address, and kept in storage with the SHA-256 of its bytes. The
same pack gives the same bytes: everything printed comes from the pack, and the document's
metadata dates are the pack's as-of date, not the clock."""

from __future__ import annotations

import hashlib
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.tasks import task
from django.urls import reverse

from config.pdf import pdf_render
from config.qr import qr_data_uri
from config.site import site_url
from config.stored_pdf import StoredPdf, storage_write_whole, stored_pdf_response

from .models import EvidencePack

TEMPLATE = "certification/evidence_pack_pdf.html"
STYLESHEET = "certification/evidence_pack_pdf.css"
FOLDER = "evidence"


def evidence_verification_url(pack: EvidencePack) -> str:
    return site_url() + reverse("evidence_verify", args=[pack.code])


def entry_rows(snapshot: dict) -> list[dict]:
    """Each entry behind any requirement once, oldest first, with the numbers (from 1) of the
    requirements it counts toward: a rule with two hour requirements lists its ledger once,
    which halves the pages (and the render time) of most packs."""
    rows: dict[int, dict] = {}
    for number, block in enumerate(snapshot["requirements"], start=1):
        for entry in block["entries"]:
            rows.setdefault(entry["id"], {**entry, "counts_toward": []})["counts_toward"].append(
                number
            )
    return sorted(rows.values(), key=lambda row: (row["date"], row["id"]))


def evidence_pack_pdf(pack: EvidencePack) -> bytes:
    """Render the pack's PDF: a function of the pack alone, so the same bytes every time."""
    url = evidence_verification_url(pack)
    snapshot = pack.snapshot
    return pdf_render(TEMPLATE, {
        "s": snapshot, "pack": pack, "verify_url": url, "qr": qr_data_uri(url),
        "entries": entry_rows(snapshot),
        "issuer": settings.CREDENTIAL_ISSUER_NAME,
        "certificates": [  # a revoked certificate's QR code would only mislead
            {**c, "qr": qr_data_uri(c["verify_url"]) if c["status"] == "valid" else ""}
            for c in snapshot["certificates"]
        ],
    }, stylesheet=STYLESHEET)  # fmt: skip


@transaction.atomic
def evidence_pack_pdf_store(*, pack_id: int) -> EvidencePack:
    """Render and store the pack's PDF unless stored, under the pack's row lock, so the task
    and a request never render it twice."""
    pack = EvidencePack.objects.select_for_update().get(pk=pack_id)
    if pack.is_ready:
        return pack
    content = evidence_pack_pdf(pack)
    name = f"{FOLDER}/{pack.pk}/{pack.sha256}.pdf"
    storage_write_whole(name, content)
    pack.pdf_name, pack.pdf_sha256 = name, hashlib.sha256(content).hexdigest()
    pack.save(update_fields=["pdf_name", "pdf_sha256"])
    return pack


@task()
def evidence_pack_render(*, pack_id: int) -> str:
    return evidence_pack_pdf_store(pack_id=pack_id).pdf_name


def evidence_pack_render_later(*, pack_id: int) -> None:
    """Render the pack's PDF in the task worker once the pack is committed."""
    transaction.on_commit(partial(evidence_pack_render.enqueue, pack_id=pack_id))


def evidence_pack_pdf_response(request: HttpRequest, pack: EvidencePack) -> HttpResponse:
    """The stored bytes with their SHA-256 as the ETag (a 304 when it matches)."""
    return stored_pdf_response(
        request, StoredPdf(pack.pdf_name, pack.pdf_sha256), attachment=True,
        filename=f"evidence-{pack.jurisdiction}-{pack.as_of:%Y-%m-%d}.pdf",
    )  # fmt: skip
