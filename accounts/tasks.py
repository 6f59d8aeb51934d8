"""Background jobs for accounts; run by `manage.py db_worker`, immediately in tests.

A task's arguments are stored in the task table until the row is pruned, so emails that
carry a credential (a password-reset or an email-confirmation link) are enqueued with ids
only, and the worker makes the link when it sends.
"""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.urls import reverse


@task()
def email_send(*, subject: str, body: str, to: list[str], html: str = "") -> int:
    """Send one email; return how many were delivered (0 or 1), for the task result."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@task()
def password_reset_email_send(*, user_id: int, email: str, site_url: str) -> int:
    """Email the account a link that resets its password (allauth's template and token)."""
    user = get_user_model().objects.get(pk=user_id)
    uid = user_pk_to_url_str(user)
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token})
    context = {"user": user, "password_reset_url": site_url + path, "uid": uid, "key": token}
    return _account_email_send("account/email/password_reset_key", email, context, site_url)


@task()
def email_confirmation_send(*, email_address_id: int, signup: bool, site_url: str) -> int:
    """Email the address its confirmation link (allauth's signed key: nothing is stored)."""
    address = EmailAddress.objects.select_related("user").get(pk=email_address_id)
    key = EmailConfirmationHMAC(address).key
    url = site_url + reverse("account_confirm_email", args=[key])
    template = "email_confirmation_signup" if signup else "email_confirmation"
    context = {"user": address.user, "key": key, "activate_url": url}
    return _account_email_send(f"account/email/{template}", address.email, context, site_url)


def site_context(site_url: str) -> dict[str, Any]:
    """What allauth's email templates say about the site ("Hello from DN Tracker!")."""
    domain = site_url.split("://", 1)[-1]
    return {"current_site": {"name": settings.WAGTAIL_SITE_NAME, "domain": domain}}


def _account_email_send(
    template_prefix: str, email: str, context: dict[str, Any], site_url: str
) -> int:
    message = get_adapter().render_mail(
        template_prefix, email, {**site_context(site_url), "email": email, **context}
    )
    return message.send()
