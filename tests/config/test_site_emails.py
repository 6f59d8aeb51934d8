"""Every email the site sends, rendered through the code that sends it: each subject carries
the site's name (one setting), each learner is greeted by name, and no placeholder is left
empty ("Hello from !", "an account on .")."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from django.core import mail

from certification.programs import certificate_issue_if_due
from certification.tasks import certificate_issued_send
from courses.models import Enrollment, Payment
from courses.tasks import (
    enrollment_cancelled_send,
    enrollment_confirmation_send,
    hold_expired_send,
    offering_cancelled_send,
    payment_flagged_send,
    reminder_send,
    seat_offer_send,
    waitlist_offer_send,
)
from learners.expiry import license_expiry_send
from tests.certification.helpers import course_completed, pt_license
from tests.factories import PASSWORD, UserFactory, catalog_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

MISSING = "@@MISSING@@"
# An empty value shows as a space before punctuation, or an empty pair of brackets.
EMPTY = re.compile(r"[ \t][.,!?;:](\s|$)|\(\s*\)|\[\s*\]|\bNone\b")


@pytest.fixture(autouse=True)
def _missing_is_visible(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates
    settings.SITE_NAME = "DN Tracker"


def _assert_filled(message: mail.EmailMessage) -> None:
    for text in (message.subject, message.body):
        assert MISSING not in text, text
        assert not EMPTY.search(text), (EMPTY.search(text), text)
    assert message.subject.startswith("[DN Tracker] "), message.subject


def _learner_emails(learner, instructor, program) -> None:
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    license = pt_license(learner)
    certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
    mail.outbox.clear()  # what issuing sent is sent again below, with everything else
    offering = catalog_offering(first_day=dt.date(2027, 3, 14))
    seat = Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    payment = Payment.objects.create(enrollment=seat, amount_cents=89500, currency="usd",
                                     status="succeeded")  # fmt: skip
    seat.hold_expires_at = dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC)
    seat.save(update_fields=["hold_expires_at"])
    enrollment_confirmation_send.enqueue(enrollment_id=seat.pk, payment_id=payment.pk)
    enrollment_confirmation_send.enqueue(enrollment_id=seat.pk)
    for send in (enrollment_cancelled_send, hold_expired_send, seat_offer_send,
                 waitlist_offer_send):  # fmt: skip
        send.enqueue(enrollment_id=seat.pk)
    offering_cancelled_send.enqueue(enrollment_id=seat.pk, reason="The venue flooded.")
    payment_flagged_send.enqueue(payment_id=payment.pk, why="The offering was full.")
    reminder_send.enqueue(enrollment_id=seat.pk, days=7)
    certificate_issued_send.enqueue(certificate_id=certificate.pk)
    license_expiry_send.enqueue(license_id=license.pk)


def test_every_learner_email_greets_by_name_and_names_the_site(learner, instructor, program):
    learner.first_name = learner.last_name = ""  # signed up with an email only
    learner.save()

    _learner_emails(learner, instructor, program)

    assert len(mail.outbox) == 11
    for message in mail.outbox:
        _assert_filled(message)
        assert message.body.splitlines()[0] in ("Hello Jordan Avery Lee,", "Dear Jordan Avery Lee,")
        assert learner.email not in message.body.splitlines()[0]
        assert message.body.rstrip().endswith("DN Tracker")


def test_the_site_name_is_one_setting(learner, instructor, program, settings):
    settings.SITE_NAME = "Needle Academy"
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Needle Academy] "  # derived from it in base.py

    _learner_emails(learner, instructor, program)

    for message in mail.outbox:
        assert message.subject.startswith("[Needle Academy] ")
        assert message.body.rstrip().endswith("Needle Academy")


def test_every_account_email_fills_its_placeholders(client):
    known = UserFactory(email="known@example.test")

    client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    client.post("/accounts/password/reset/", {"email": known.email})
    for email in (known.email, "new@example.test"):
        client.post("/accounts/signup/",
                    {"email": email, "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip

    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "[DN Tracker] Unknown Account", "[DN Tracker] Password Reset Email",
        "[DN Tracker] Account Already Exists", "[DN Tracker] Please Confirm Your Email Address",
    ]  # fmt: skip
    for message in mail.outbox:
        _assert_filled(message)
        assert message.body.startswith("Hello from DN Tracker!")
    assert "an account with email nobody@example.test." in mail.outbox[0].body
    assert "email address:\n\nknown@example.test" in mail.outbox[2].body
