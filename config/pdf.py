"""PDFs from Django templates through WeasyPrint. Only data: URLs are fetched: templates
carry their own styles and images, so rendering never touches the network or the disk."""

from __future__ import annotations

import threading

from django.http import HttpResponse
from django.template.loader import render_to_string

_local = threading.local()


def _fonts() -> object:
    """One font configuration per thread, shared by every PDF it renders: WeasyPrint otherwise
    builds a new one (fontconfig and Pango's font map) per document, and the native memory each
    leaves behind added up in a long-lived worker (the memory soak, issue 17). Per thread, as
    Pango's font map is not to be shared between threads; our templates declare no
    @font-face, so nothing is added to it."""
    if not hasattr(_local, "fonts"):
        from weasyprint.text.fonts import FontConfiguration

        _local.fonts = FontConfiguration()
    return _local.fonts


def pdf_render(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads the system's Pango, which only PDF pages need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_fonts())


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_render(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
