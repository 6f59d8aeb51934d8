"""Certification emails for the task worker: the one that tells a learner their certificate
is issued. (The re-evaluation task lives beside issuance, in programs.py.)"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from config.site import email_context, email_subject, site_url

from .models import Certificate


@task()
def certificate_issued_send(*, certificate_id: int) -> int:
    certificate = Certificate.objects.select_related("learner", "program").get(pk=certificate_id)
    base = site_url()
    body = render_to_string("certification/email/certificate_issued.txt", {
        **email_context(),
        "certificate": certificate,
        "certificate_url": base + reverse("certificate_detail", args=[certificate.pk]),
        "verify_url": base + reverse("certificate_verify", args=[certificate.verification_code]),
    })  # fmt: skip
    return send_mail(
        email_subject(f"Your {certificate.program.name} is issued"), body,
        settings.DEFAULT_FROM_EMAIL,
        [certificate.learner.email],
    )  # fmt: skip
