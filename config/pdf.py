"""PDFs from Django templates through WeasyPrint. Only data: URLs are fetched: templates
carry their own styles and images, so rendering never touches the network or the disk."""

from __future__ import annotations

from functools import cache

from django.http import HttpResponse
from django.template.loader import render_to_string


@cache
def _fonts() -> object:
    """One font configuration per process, shared by every PDF: WeasyPrint otherwise builds
    a new one (fontconfig and Pango's font map) per document, and the native memory each
    leaves behind added up in a long-lived worker (the memory soak, issue 17). Our templates
    declare no @font-face, so nothing is added to it."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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
