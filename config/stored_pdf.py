"""PDFs rendered once per version and served from storage (issue 17): certificates, evidence
packs, transcripts. A version's file is named by its key, the SHA-256 of everything it shows
(`facts_key`), in one folder per document; a change of the facts is a new key, so a stale file
is never served. The document's module renders and stores a missing version under its own row
lock (`stored_pdf_keep`), and a download sends the stored bytes (`stored_pdf_response`)."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header

# Up to this size a file is read and sent in one write: streaming it costs the worker more
# (a selector and a sendfile loop per download) than a one-page certificate's 14 KB.
SENT_WHOLE_MAX = 256 * 1024


@dataclass(frozen=True)
class StoredPdf:
    name: str  # in default storage
    key: str  # the ETag


@cache
def template_digest(*templates: str) -> str:
    """A change of a template (a deployment) is a new version of every PDF made from it."""
    sources = "\0".join(get_template(name).template.source for name in templates)
    return hashlib.sha256(sources.encode()).hexdigest()


def facts_key(facts: dict) -> str:
    """The SHA-256 of everything a PDF shows; equal keys, equal bytes."""
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def stored_pdf(folder: str, key: str) -> StoredPdf:
    return StoredPdf(f"{folder}/{key}.pdf", key)


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


def stored_pdf_keep(stored: StoredPdf, render: Callable[[], bytes]) -> StoredPdf:
    """Render and store `stored` unless it is there, and remove its folder's other versions.
    The caller holds the document's row lock, so concurrent downloads and the task render a
    version once."""
    if not default_storage.exists(stored.name):
        storage_write_whole(stored.name, render())
        folder, keep = posixpath.split(stored.name)
        for filename in default_storage.listdir(folder)[1]:
            if filename != keep:
                default_storage.delete(f"{folder}/{filename}")
    return stored


def stored_pdf_response(
    request: HttpRequest,
    stored: StoredPdf,
    *,
    filename: str,
    attachment: bool,
    store: Callable[[], StoredPdf] | None = None,
) -> HttpResponse:
    """The stored bytes (read whole when small, `SENT_WHOLE_MAX`, else streamed like a static
    file), with the key as the ETag (a 304 when it matches) and a Content-Length. `store`
    renders the current version when it is missing (under the document's lock; it may find
    newer facts than `stored`)."""
    if not_modified := get_conditional_response(request, etag=f'"{stored.key}"'):
        return not_modified
    try:
        file = default_storage.open(stored.name, "rb")
    except FileNotFoundError:
        if store is None:
            raise
        stored = store()
        file = default_storage.open(stored.name, "rb")
    head = file.read(SENT_WHOLE_MAX + 1)
    if len(head) <= SENT_WHOLE_MAX:
        file.close()
        response: HttpResponse = HttpResponse(head, content_type="application/pdf")
        response["Content-Length"] = str(len(head))
        response["Content-Disposition"] = content_disposition_header(attachment, filename)
    else:
        file.seek(0)
        response = FileResponse(
            file, content_type="application/pdf", as_attachment=attachment, filename=filename
        )
    response["ETag"] = f'"{stored.key}"'
    response["Cache-Control"] = "private, no-cache"  # revalidated: a change shows at once
    return response
