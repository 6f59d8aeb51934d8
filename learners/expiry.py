"""Reminding holders of verified licenses that expire within 60 days (once per license)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from config.site import email_context, email_subject, site_url

from .jurisdictions import jurisdiction_name
from .models import License, LicenseExpiryReminder
from .selectors import learner_display_name, licenses_expiring_within

REMIND_DAYS = 60


def licenses_to_remind(*, today: dt.date) -> QuerySet[License]:
    """Verified licenses still current that expire within 60 days, not yet reminded."""
    return (
        licenses_expiring_within(today=today, days=REMIND_DAYS)
        .filter(expiry_reminder__isnull=True)
        .select_related("learner", "profession")
    )


def expiry_reminders_queue(*, today: dt.date) -> int:
    """Record and queue a reminder for each license due one; returns how many."""
    count = 0
    for license in licenses_to_remind(today=today):
        with transaction.atomic():
            LicenseExpiryReminder.objects.create(license=license)
            transaction.on_commit(lambda pk=license.pk: license_expiry_send.enqueue(license_id=pk))
        count += 1
    return count


@task()
def license_expiry_send(*, license_id: int) -> int:
    license = License.objects.select_related("learner__learner_profile", "profession").get(
        pk=license_id
    )
    base = site_url()
    body = render_to_string("learners/email/license_expiring.txt", {
        **email_context(), "name": learner_display_name(license.learner), "license": license,
        "where": jurisdiction_name(license.jurisdiction),
        "profile_url": base + reverse("learner_profile"),
    })  # fmt: skip
    return send_mail(
        email_subject(f"Your {license.profession.code} license ({license.jurisdiction}) expires "
                      f"on {license.expires_on:%-d %B %Y}"), body, settings.DEFAULT_FROM_EMAIL,
        [license.learner.email],
    )  # fmt: skip
