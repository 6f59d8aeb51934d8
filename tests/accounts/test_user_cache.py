"""The signed-in user and their roles are kept in the shared cache between requests (issue 17);
every change to the account, its groups or a group is seen by the very next request."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from accounts.roles import INSTRUCTOR, REGISTRAR
from tests.conftest import SignedInClient
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NO_SUCH_CERTIFICATE = "/me/certificates/0/certificate.pdf"  # no query about the user of its own
NEW_PASSWORD = "a-new-and-longer-passphrase-42"


def _signed_in(user) -> SignedInClient:
    client = SignedInClient()
    client.force_login(user)
    return client


def test_a_signed_in_page_reads_the_user_and_roles_once_then_from_the_cache(client, learner):
    client.force_login(learner)
    client.get("/me/")  # the first request reads and keeps them

    with CaptureQueriesContext(connection) as queries:
        response = client.get(NO_SUCH_CERTIFICATE)

    assert response.status_code == 404  # the certificate was looked up as the learner's
    read = " ".join(query["sql"] for query in queries)
    assert "certification_certificate" in read
    assert "accounts_user" not in read and "auth_group" not in read


def test_it_signs_out_a_deactivated_account_at_its_next_request(client, learner):
    client.force_login(learner)
    assert client.get("/me/").status_code == 200

    learner.is_active = False
    learner.save()
    response = client.get("/me/")

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_change_ends_the_other_sessions_at_once(learner):
    changing, elsewhere = _signed_in(learner), _signed_in(learner)
    assert changing.get("/me/").status_code == elsewhere.get("/me/").status_code == 200

    form = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    changing.post("/accounts/password/change/", form)

    assert changing.get("/me/").status_code == 200  # the session that changed it stays
    response = elsewhere.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "removal",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: group.user_set.clear(),
        lambda user, group: user.groups.set([]),
        lambda user, group: group.delete(),
    ],
    ids=[
        "user.groups.remove",
        "group.user_set.remove",
        "group.user_set.clear",
        "groups.set",
        "group.delete",
    ],
)
def test_a_registrar_removed_from_the_registrar_group_loses_the_admin_at_once(
    client, registrar, removal
):
    client.force_login(registrar)
    assert client.get("/admin/").status_code == 200

    removal(registrar, Group.objects.get(name=REGISTRAR))
    response = client.get("/admin/")

    assert response.status_code == 302 and response["Location"] == "/me/"


def test_a_renamed_role_group_is_no_longer_that_role_at_once(client, registrar):
    client.force_login(registrar)
    assert client.get("/admin/").status_code == 200

    group = Group.objects.get(name=REGISTRAR)
    group.name = "Former registrars"
    group.save()

    assert client.get("/admin/")["Location"] == "/me/"


def test_a_learner_made_instructor_reaches_the_teaching_pages_at_once(client, learner):
    client.force_login(learner)
    assert client.get("/teach/").status_code == 403

    Group.objects.get(name=INSTRUCTOR).user_set.add(learner)

    assert client.get("/teach/").status_code == 200


def test_a_learner_made_registrar_must_set_up_two_factor_at_their_next_request(client, learner):
    client.force_login(learner)
    assert client.get("/me/").status_code == 200

    learner.groups.add(Group.objects.get(name=REGISTRAR))
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_superuser_demoted_loses_django_admin_at_once(client, superuser):
    client.force_login(superuser)
    assert client.get("/django-admin/").status_code == 200

    superuser.is_superuser = superuser.is_staff = False
    superuser.save()

    assert client.get("/django-admin/")["Location"] == "/me/"


def test_another_users_cached_row_is_never_served(client, learner, other_learner):
    _signed_in(other_learner).get("/me/")  # other_learner's row is kept
    client.force_login(learner)

    response = client.get("/me/")

    assert response.context["user"] == learner


def test_a_row_read_while_a_change_commits_is_read_afresh_after_it(
    client, learner, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        learner.first_name = "Renamed"
        learner.save()
        client.get(NO_SUCH_CERTIFICATE)  # keeps the row it read before the change committed

    with CaptureQueriesContext(connection) as queries:
        client.get(NO_SUCH_CERTIFICATE)

    assert "accounts_user" in " ".join(query["sql"] for query in queries)  # read afresh


def test_a_registrars_permissions_authenticator_and_profile_are_kept_with_them(client, registrar):
    client.force_login(registrar)
    client.get("/admin/")  # reads and keeps them

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")

    assert response.status_code == 200
    read = " ".join(query["sql"] for query in queries)
    for table in ("mfa_authenticator", "auth_permission", "wagtailusers_userprofile"):
        assert table not in read


def test_a_registrar_whose_authenticator_is_removed_must_set_one_up_at_their_next_request(
    client, registrar
):
    client.force_login(registrar)
    assert client.get("/admin/").status_code == 200

    Authenticator.objects.filter(user=registrar).delete()
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_registrars_new_admin_theme_shows_at_their_next_request(client, registrar):
    client.force_login(registrar)
    assert 'class="w-theme-system' in client.get("/admin/").content.decode()

    profile = UserProfile.get_for_user(registrar)
    profile.theme = UserProfile.AdminColorThemes.DARK
    profile.save()

    assert 'class="w-theme-dark' in client.get("/admin/").content.decode()


def test_a_permission_granted_to_a_registrar_alone_counts_at_their_next_request(client, registrar):
    client.force_login(registrar)
    assert client.get("/django-admin/")["Location"] == "/admin/"  # not staff: not theirs

    registrar.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.get("/admin/")
    user = client.get("/admin/").wsgi_request.user

    assert user.has_perm("certification.view_certificate")
