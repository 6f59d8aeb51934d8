"""The site's public base URL (`WAGTAILADMIN_BASE_URL`, without a trailing slash): the one
place every email, credential and QR code builds absolute links from, where no request is
at hand (background tasks, PDFs)."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
