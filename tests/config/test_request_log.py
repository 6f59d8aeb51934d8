"""One JSON line per request and per task run, under the request's or the task's id."""

from __future__ import annotations

import json
import logging

import pytest
from django.conf import settings
from django.test import override_settings
from pythonjsonlogger.json import JsonFormatter

from accounts.tasks import email_send


def _json_lines(caplog, logger: str) -> list[dict]:
    """The lines the console handler writes for `logger`'s records, as the settings format them."""
    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    formatter = JsonFormatter(**options)
    return [json.loads(formatter.format(record)) for record in caplog.records
            if record.name == logger]  # fmt: skip


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO)
    return lambda logger="dntracker.request": _json_lines(caplog, logger)


def test_each_request_writes_one_json_line_with_its_id(client, lines):
    response = client.get("/healthz?token=secret")

    [line] = lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
    assert "secret" not in json.dumps(line)  # the query string is not logged


def test_a_client_cannot_choose_its_request_id_without_a_trusted_proxy(client, lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")

    assert response["X-Request-ID"] != "chosen-by-the-client"
    assert lines()[0]["request_id"] == response["X-Request-ID"]


@override_settings(NUM_PROXIES=1)
def test_behind_a_proxy_its_request_id_is_kept_and_echoed(client, lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c01-42")

    assert response["X-Request-ID"] == "lb-7f3a9c01-42"
    assert lines()[0]["request_id"] == "lb-7f3a9c01-42"


@override_settings(NUM_PROXIES=1)
def test_a_malformed_request_id_from_the_proxy_is_replaced(client, lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected {"level": "ERROR"}')

    assert response["X-Request-ID"].isalnum()


@pytest.mark.django_db
def test_each_task_run_writes_one_json_line_with_its_id_and_outcome(lines):
    result = email_send.enqueue(subject="Hello", body="Text", to=["a@example.test"])

    [run] = lines("dntracker.task")
    assert run["task_id"] == str(result.id)
    assert (run["task"], run["status"]) == ("accounts.tasks.email_send", "SUCCESSFUL")
    assert isinstance(run["duration_ms"], float)
    assert lines("django.tasks") == []  # Django's own started/finished lines are held back
