"""Queries per request, counted in-process through Django's test client on the benchmark's
own database: the second of two identical requests (the first fills the caches, as under load)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.pages import Page


def count_queries(page: Page, cookies: dict[str, str]) -> int:
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if page.persona:
        client.cookies.load(cookies[page.persona])
    kwargs = {"data": page.body, "content_type": "application/json"} if page.body else {}
    request = client.post if page.method == "POST" else client.get
    request(page.path, **kwargs)
    with CaptureQueriesContext(connection) as queries:
        response = request(page.path, **kwargs)
    if response.status_code != 200:
        raise SystemExit(f"{page.path} answered {response.status_code} to the query count")
    return len(queries)
