"""Background jobs for accounts; run by `manage.py db_worker`, immediately in tests."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def email_send(*, subject: str, body: str, to: list[str], html: str = "") -> int:
    """Send one email; return how many were delivered (0 or 1), for the task result."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
