"""Sessions read with their user in one cache round trip (accounts/sessions.py), on the
per-process cache of tests and development and on a real Redis: the user is always the one the
session names (a pointer, or this process's memory of the session, naming someone else is
never believed), a change to the account shows
on the next request, signing out drops the pointer, and on Redis a learner's certificate
download costs one round trip (the session, its user and the certificate's facts together,
config/read_ahead.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.sessions import _USERS_SEEN, POINTER_PREFIX
from certification.programs import certificate_issue_if_due
from tests.certification.helpers import course_completed, pt_license
from tests.conftest import redis_cache_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _signed_in_email(client) -> str:
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    return response.context["user"].email


@pytest.fixture
def beside_someone_else(shared_cache, client, learner, other_learner) -> str:
    """The learner signed in, after another learner's entry was kept; the session's key."""
    client.force_login(other_learner)
    client.get("/me/")
    client.force_login(learner)
    return client.session.session_key


def test_a_pointer_naming_someone_else_is_never_believed(
    beside_someone_else, client, learner, other_learner
):
    key = beside_someone_else
    cache.set(POINTER_PREFIX + key, other_learner.pk)  # as if it had gone wrong
    _USERS_SEEN.clear()  # read by a process that has not seen the session yet

    assert _signed_in_email(client) == learner.email
    assert cache.get(POINTER_PREFIX + key) == learner.pk  # and it is put right


def test_a_process_hint_naming_someone_else_is_never_believed(
    beside_someone_else, client, learner, other_learner
):
    key = beside_someone_else
    assert _signed_in_email(client) == learner.email
    _USERS_SEEN[key] = other_learner.pk  # as if it had gone wrong

    assert _signed_in_email(client) == learner.email
    assert _USERS_SEEN[key] == learner.pk


def test_a_deactivation_signs_out_on_the_next_request(shared_cache, client, learner):
    client.force_login(learner)
    assert client.get("/me/").status_code == 200

    learner.is_active = False
    learner.save()
    response = client.get("/me/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_signing_out_drops_the_pointer(shared_cache, client, learner):
    client.force_login(learner)
    client.get("/me/")
    key = client.session.session_key
    assert cache.get(POINTER_PREFIX + key) == learner.pk

    client.post("/accounts/logout/")

    assert cache.get(POINTER_PREFIX + key) is None
    assert client.get("/me/").status_code == 302


def test_on_redis_a_certificate_download_costs_one_round_trip(
    redis_url, client, learner, instructor, program, settings, tmp_path, round_trips
):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(CACHES=redis_cache_settings(redis_url)):
        cache.clear()
        course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
        course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
        pt_license(learner)
        certificate = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)
        client.force_login(learner)
        url = f"/me/certificates/{certificate.pk}/certificate.pdf"
        first = client.get(url)
        round_trips.clear()

        again = client.get(url)

        assert again.status_code == 200 and again.getvalue() == first.getvalue()
        assert len(round_trips) == 1  # the session, its user and the certificate together
        cache.clear()
