"""Certification work for the task worker: re-evaluating a learner whenever an input changes,
and the email that tells them their certificate is issued."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Certificate, Program


@task()
def certificates_evaluate(*, learner_id: int) -> list[str]:
    """Issue every program's certificate the learner now qualifies for; returns the numbers."""
    from .programs import certificate_issue_if_due

    issued = []
    for program_id in Program.objects.values_list("pk", flat=True):
        certificate = certificate_issue_if_due(learner_id=learner_id, program_id=program_id)
        if certificate:
            issued.append(certificate.number)
    return issued


@task()
def certificate_issued_send(*, certificate_id: int) -> int:
    certificate = Certificate.objects.select_related("learner", "program").get(pk=certificate_id)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    body = render_to_string("certification/email/certificate_issued.txt", {
        "certificate": certificate,
        "certificate_url": base + reverse("certificate_detail", args=[certificate.pk]),
        "verify_url": base + reverse("certificate_verify", args=[certificate.verification_code]),
    })  # fmt: skip
    return send_mail(
        f"Your {certificate.program.name} is issued", body, settings.DEFAULT_FROM_EMAIL,
        [certificate.learner.email],
    )  # fmt: skip
