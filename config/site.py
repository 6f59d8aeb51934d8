"""The site's public base URL (`WAGTAILADMIN_BASE_URL`, without a trailing slash): the one
place every email, credential and QR code builds absolute links from, where no request is
at hand (background tasks, PDFs); and how emails name the site (`SITE_NAME`)."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def email_subject(text: str) -> str:
    """An email's subject carrying the site's name, like allauth's: "[DN Tracker] …"."""
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"


def email_context() -> dict[str, str]:
    """What every email template may say about the site (its name signs each email)."""
    return {"site_name": settings.SITE_NAME}
