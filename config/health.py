"""`/healthz` and `/readyz` for load balancers and process managers (README "Production").

`/healthz`: the process answers; it touches nothing, so a database outage does not get every
web process restarted. `/readyz`: the database, the shared cache and the task queue answer;
503 names the one that failed, so the balancer stops sending traffic here.

Answered by a middleware near the top of the stack: before the host check (balancers probe
by address), the HTTPS redirect (they probe plain HTTP), sessions, authentication and the
staff two-factor rule. Never cached.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.tasks import task_backends
from django.utils.cache import add_never_cache_headers
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

Handler = Callable[[HttpRequest], HttpResponse]


def database_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_ready() -> None:
    """A value written is read back: the shared cache holds the rate limits."""
    key, value = "readyz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return the value just written")


def task_queue_ready() -> None:
    """The default task backend loads; for the database backend, its table answers."""
    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.filter(backend_name=backend.alias).ready().exists()


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": database_ready,
    "cache": cache_ready,
    "task_queue": task_queue_ready,
}


def readiness() -> dict[str, str]:
    """Each dependency's state: "ok", or the error that makes it not ready."""
    states = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001  (any failure means not ready)
            states[name] = f"failed: {type(error).__name__}"
        else:
            states[name] = "ok"
    return states


def _answer(payload: dict[str, str], status: int) -> HttpResponse:
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _answer({"status": "ok"}, 200)
        if request.path == "/readyz":
            states = readiness()
            ready = all(state == "ok" for state in states.values())
            return _answer({"status": "ok" if ready else "unavailable", **states},
                           200 if ready else 503)  # fmt: skip
        return self.get_response(request)
