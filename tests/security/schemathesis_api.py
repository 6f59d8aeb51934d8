"""`make security`, part 1: schemathesis generates requests from the published OpenAPI schema
(ones that follow it and ones that break it) and sends them through the Django WSGI app in
this process, on the test database: no server, no network. Every answer must be no server
error, with a documented status code and content type, matching the documented response
schema; a request that breaks the schema must be refused. Not part of the normal suite
(pytest does not collect this file by its name); `make security` runs it.

Each operation is fuzzed by a plain Hypothesis `@given` over the operation's strategy:
schemathesis' own lazy pytest loader (`from_fixture`) does not run under pytest 9."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Requests that break the schema exist only where it constrains something a client sends:
# the evaluate and roster sync bodies. (A query enum or a free string in the path has no
# breaking value that survives the trip through a URL, and Hypothesis would give up looking.)
OPERATIONS = [
    ("POST", "/api/v1/eligibility/evaluate", POSITIVE),
    ("POST", "/api/v1/eligibility/evaluate", NEGATIVE),
    ("GET", "/api/v1/jurisdictions/", POSITIVE),
    ("GET", "/api/v1/me/eligibility/", POSITIVE),
    ("GET", "/api/v1/certificates/{code}/", POSITIVE),
    ("GET", "/api/v1/evidence/{code}/", POSITIVE),
    ("POST", "/api/v1/plans/", POSITIVE),
    ("POST", "/api/v1/plans/", NEGATIVE),
    ("POST", "/api/v1/roster/sync/", POSITIVE),
    ("POST", "/api/v1/roster/sync/", NEGATIVE),
]
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_headers_conformance, response_schema_conformance, negative_data_rejection,
]  # fmt: skip
BOUNDED = settings(
    max_examples=50, derandomize=True, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


@pytest.fixture
def api_schema(rules):
    # As Django's test client does: a request's end must not close the test's connection,
    # which holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Schemathesis asks for gzip as requests does, but its WSGI transport (werkzeug) does not
# decode a gzipped answer as an HTTP client would (config/page_cache.py sends kept answers
# gzipped to clients that accept it): ask for the answer as it is.
AS_IT_IS = {"Accept-Encoding": "identity"}


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str] | None = None) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @BOUNDED
    def answers_as_documented(case):
        cache.clear()  # the rate limits would answer most examples with a 429
        case.call_and_validate(checks=CHECKS, headers={**AS_IT_IS, **(headers or {})})

    answers_as_documented()


def test_every_operation_of_the_schema_is_fuzzed(api_schema):
    published = {
        (result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()
    }
    assert published == {(method, path) for method, path, _ in OPERATIONS}


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS)
def test_the_api_answers_anyone_as_documented(api_schema, method, path, mode):
    _fuzz(api_schema[path][method], mode)


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS)
def test_the_api_answers_a_signed_in_learner_as_documented(
    api_schema, client, learner, method, path, mode
):
    client.force_login(learner)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    _fuzz(api_schema[path][method], mode, headers={"Cookie": cookie})
