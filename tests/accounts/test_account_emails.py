"""Emails with a credential in them keep it out of the task table.

Password-reset and email-confirmation links open an account. The task table keeps a task's
arguments until pruned, so those tasks are enqueued with ids and the worker makes the link:
here with the real database backend and `db_worker`, as in production.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.usefixtures("migrated_db"),  # the worker commits, as in production
    pytest.mark.django_db(transaction=True),
]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NEW_PASSWORD = "a-new-and-longer-passphrase"


def _stored_arguments() -> str:
    return json.dumps([row.args_kwargs for row in DBTaskResult.objects.all()])


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def _link(path_fragment: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/accounts/{path_fragment}[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_password_reset_task_stores_no_link_and_the_email_still_resets(client):
    user = UserFactory(email="forgetful@example.test")

    client.post("/accounts/password/reset/", {"email": user.email})

    stored = _stored_arguments()
    assert "/password/reset/key/" not in stored
    assert "password_reset" not in stored.replace("password_reset_email_send", "")
    assert json.loads(stored) == [
        {"args": [], "kwargs": {"user_id": user.pk, "email": user.email,
                                "site_url": "http://testserver"}},
    ]  # fmt: skip
    assert mail.outbox == []

    _run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mail.outbox[-1].to == [user.email]
    assert mail.outbox[-1].subject == "[DN Tracker] Password Reset Email"
    form = client.get(_link("password/reset/key/"), follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_confirmation_task_stores_no_key_and_the_email_still_confirms(client):
    client.post(
        "/accounts/signup/",
        {"email": "newcomer@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    address = EmailAddress.objects.get(email="newcomer@example.test")

    stored = _stored_arguments()
    assert "confirm-email" not in stored
    assert json.loads(stored) == [
        {"args": [], "kwargs": {"email_address_id": address.pk, "signup": True,
                                "site_url": "http://testserver"}},
    ]  # fmt: skip

    _run_worker()

    assert "Hello from DN Tracker!" in mail.outbox[-1].body
    client.post(_link("confirm-email/"))
    address.refresh_from_db()
    assert address.verified
