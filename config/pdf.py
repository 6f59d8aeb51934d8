"""PDFs from Django templates through WeasyPrint. Only data: URLs are fetched: templates
carry their own styles and images, so rendering never touches the network or the disk."""

from __future__ import annotations

import os
import ssl
import threading
from functools import cache
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.template.loader import get_template, render_to_string

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

_per_thread = threading.local()

# Where HarfBuzz's subsetter is missing (Debian's libharfbuzz-subset0), WeasyPrint subsets
# fonts with fontTools, which stamps each font with the clock unless this is set (the
# reproducible-builds convention): the same facts must give the same bytes and hash.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


@cache
def _unused_tls() -> ssl.SSLContext:
    """A TLS context for the fetcher's HTTPS handler, which never runs (only data: URLs are
    fetched): without one, each fetcher loads the system's certificate store, a fifth of a
    small PDF's render time (issue 18's 300 ms budget)."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _font_config() -> FontConfiguration:
    """One font configuration per thread (a Pango font map is not for sharing across
    threads), kept between renders: a new one reloads Fontconfig and every font's metrics, and
    the native memory each left behind added up in a long-lived worker (the memory soak,
    issue 17). Our templates declare no @font-face, so nothing is added to it."""
    if not hasattr(_per_thread, "font_config"):
        from weasyprint.text.fonts import FontConfiguration

        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config


@cache
def _stylesheet(template: str) -> CSS:
    """A static stylesheet (a template file, never rendered with data), parsed once per
    process: parsing and validating a few kilobytes of CSS costs WeasyPrint tens of ms."""
    from weasyprint import CSS

    return CSS(string=get_template(template).template.source)


def pdf_render(template: str, context: dict, *, stylesheet: str | None = None) -> bytes:
    """`stylesheet`: a static CSS template for the document; a `<style>` in `template` may
    still add what depends on the data."""
    # Imported here: WeasyPrint loads the system's Pango, which only PDF pages need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"data"}, ssl_context=_unused_tls())
    stylesheets = [_stylesheet(stylesheet)] if stylesheet else []
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=_font_config()
    )


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_render(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
