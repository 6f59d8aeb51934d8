"""`/healthz` and `/readyz`: what a load balancer sees, including when a dependency is down."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DB_TASK_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_says_the_process_is_up_without_touching_the_database(client):
    # No database mark: any query here would fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASK_QUEUE)
def test_it_is_ready_when_database_cache_and_task_queue_answer(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "cache": "ok", "task_queue": "ok",
    }  # fmt: skip
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASK_QUEUE)
def test_it_is_not_ready_when_the_cache_is_down_and_names_it(client):
    redis_down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
    }
    with override_settings(CACHES={"default": redis_down}):
        response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["task_queue"]) == ("unavailable", "ok", "ok")
    assert body["cache"] == "failed: ConnectionError"


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "no.such.TaskBackend"}})
def test_it_is_not_ready_when_the_task_queue_cannot_be_reached(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["task_queue"].startswith("failed:")
    assert response.json()["database"] == "ok"


def test_it_is_not_ready_without_the_database(client):
    # No database mark: pytest-django refuses every connection, as a dead server would.
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"].startswith("failed:")
    assert response.json()["cache"] == "ok"


@override_settings(ALLOWED_HOSTS=["dntracker.example.com"], SECURE_SSL_REDIRECT=True)
def test_a_balancer_probing_by_address_over_http_gets_an_answer(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_staff_without_two_factor_are_not_redirected_from_the_probes(client, registrar_without_mfa):
    client.force_login(registrar_without_mfa)

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
