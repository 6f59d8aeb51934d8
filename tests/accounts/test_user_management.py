"""Only superusers make staff: registrars manage learners' and instructors' accounts.

Every case POSTs to Wagtail's own user pages, as a crafted request would: hidden fields
are not the guarantee, the server is.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import INSTRUCTOR, LEARNER, REGISTRAR
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


def _account_fields(account: User, **changes) -> dict:
    fields = {
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "is_active": "on",
        "groups": [group.pk for group in account.groups.all()],
    }
    return {**fields, **changes}


def _refused(response) -> bool:
    """Wagtail answers a permission denied in its admin by sending back to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def _edit(client, account: User, **changes):
    url = reverse("wagtailusers_users:edit", args=[account.pk])
    return client.post(url, _account_fields(account, **changes))


def test_a_registrar_cannot_make_a_learner_a_superuser(client, registrar, learner):
    client.force_login(registrar)

    response = _edit(client, learner, is_superuser="on", first_name="Renamed")

    assert response.status_code == 302  # the rest of the edit is saved
    learner.refresh_from_db()
    assert learner.first_name == "Renamed"
    assert not learner.is_superuser


def test_a_registrar_cannot_give_the_registrar_role(client, registrar, learner):
    client.force_login(registrar)

    response = _edit(client, learner, groups=[_group(LEARNER).pk, _group(REGISTRAR).pk])

    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not learner.groups.filter(name=REGISTRAR).exists()


def test_a_registrar_gives_a_learner_the_instructor_role(client, registrar, learner):
    client.force_login(registrar)

    response = _edit(client, learner, groups=[_group(LEARNER).pk, _group(INSTRUCTOR).pk])

    assert response.status_code == 302
    assert learner.groups.filter(name=INSTRUCTOR).exists()


def test_a_registrar_cannot_create_a_superuser_or_a_registrar(client, registrar):
    client.force_login(registrar)
    fields = {
        "email": "made.up@example.test",
        "first_name": "Made",
        "last_name": "Up",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "is_superuser": "on",
    }

    refused = client.post(
        reverse("wagtailusers_users:add"), {**fields, "groups": [_group(REGISTRAR).pk]}
    )
    assert refused.status_code == 200
    assert not User.objects.filter(email="made.up@example.test").exists()

    client.post(reverse("wagtailusers_users:add"), {**fields, "groups": [_group(LEARNER).pk]})
    created = User.objects.get(email="made.up@example.test")
    assert not created.is_superuser
    assert not created.groups.filter(name=REGISTRAR).exists()


@pytest.mark.parametrize("target", ["superuser", "registrar_without_mfa"])
def test_a_registrar_cannot_edit_a_staff_account(client, request, registrar, target):
    account = request.getfixturevalue(target)
    client.force_login(registrar)

    page = client.get(reverse("wagtailusers_users:edit", args=[account.pk]))
    response = _edit(client, account, email="taken.over@example.test", is_active="")

    assert _refused(page)
    assert _refused(response)
    account.refresh_from_db()
    assert account.email != "taken.over@example.test"
    assert account.is_active


def test_a_registrar_cannot_edit_their_own_roles(client, registrar):
    client.force_login(registrar)

    response = _edit(client, registrar, groups=[])

    assert _refused(response)
    assert registrar.groups.filter(name=REGISTRAR).exists()


def test_a_superuser_makes_a_registrar_and_a_superuser(client, superuser, learner):
    client.force_login(superuser)

    _edit(client, learner, is_superuser="on", groups=[_group(REGISTRAR).pk])

    learner.refresh_from_db()
    assert learner.is_superuser
    assert learner.groups.filter(name=REGISTRAR).exists()


def _bulk(client, action: str, account: User, data: dict):
    url = reverse("wagtail_bulk_action", args=["accounts", "user", action])
    return client.post(f"{url}?id={account.pk}", data)


def test_a_registrar_cannot_assign_the_registrar_role_in_bulk(client, registrar, learner):
    client.force_login(registrar)

    _bulk(client, "assign_role", learner, {"role": _group(REGISTRAR).pk})

    assert not learner.groups.filter(name=REGISTRAR).exists()


def test_a_registrar_assigns_the_instructor_role_in_bulk(client, registrar, learner):
    client.force_login(registrar)

    _bulk(client, "assign_role", learner, {"role": _group(INSTRUCTOR).pk})

    assert learner.groups.filter(name=INSTRUCTOR).exists()


def test_a_registrar_cannot_deactivate_a_superuser_in_bulk(client, registrar, superuser):
    other_learner = UserFactory()
    client.force_login(registrar)

    _bulk(client, "set_active_state", superuser, {"mark_as_active": "False"})
    _bulk(client, "set_active_state", other_learner, {"mark_as_active": "False"})

    superuser.refresh_from_db()
    other_learner.refresh_from_db()
    assert superuser.is_active
    assert not other_learner.is_active


def test_there_is_no_copy_page_to_start_an_account_from_another(client, registrar, superuser):
    """Wagtail's copy view binds the form to the source account, outside these rules: off."""
    client.force_login(registrar)
    before = User.objects.count()

    response = client.post(f"/admin/users/copy/{superuser.pk}/", {"email": "x@example.com"})

    assert response.status_code == 404
    assert User.objects.count() == before
