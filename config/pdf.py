"""PDFs from Django templates through WeasyPrint. Only data: URLs are fetched: templates
carry their own styles and images, so rendering never touches the network or the disk."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_render(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads the system's Pango, which only PDF pages need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_render(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
