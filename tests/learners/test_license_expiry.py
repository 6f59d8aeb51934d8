"""Holders of verified licenses expiring within 60 days are emailed, once each."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from learners.models import License, Profession

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _license(learner, number, expires, status="verified"):
    return License.objects.create(
        learner=learner, profession=Profession.objects.get(code="PT"), jurisdiction="VA",
        number=number, issued_on=dt.date(2019, 1, 1), expires_on=expires, status=status,
    )  # fmt: skip


def test_each_license_expiring_within_60_days_is_reminded_once(
    learner, other_learner, mailoutbox, django_capture_on_commit_callbacks
):
    _license(learner, "SOON", dt.date(2027, 1, 20))  # 58 days
    _license(learner, "LATER", dt.date(2027, 1, 23))  # 61 days
    _license(other_learner, "UNVERIFIED", dt.date(2026, 12, 30), status="unverified")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_license_reminders", stdout=io.StringIO())
        call_command("send_license_reminders", stdout=io.StringIO())

    assert [m.to for m in mailoutbox] == [[learner.email]]
    assert "SOON" in mailoutbox[0].body and "expires on 20 January 2027" in mailoutbox[0].subject
