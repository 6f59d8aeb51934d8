"""Rate limits per client (config/throttling.py), on the per-process cache the tests and
development use and on a real Redis as in production (one redis-server on a free port for the
session): exactly N requests in any span of the rate, kept answers counted too, the N+1st
refused with Retry-After, per address, and the count shared by every process."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import redis
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from config.throttling import LoggedRateThrottle, VerificationThrottle
from tests.config.test_append_only import _certificate
from tests.config.test_health import _closed_port
from tests.conftest import redis_cache_settings

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
EVALUATE = "/api/v1/eligibility/evaluate"
QUESTION = {
    "jurisdiction": "VA", "profession": "PT", "as_of": "2026-11-01",
    "hours": [{"date": "2026-03-14", "hours": 27, "in_person": True}],
}  # fmt: skip


def _rates(monkeypatch, **rates: str) -> None:
    rates = {**LoggedRateThrottle.THROTTLE_RATES, **rates}
    monkeypatch.setattr(LoggedRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture(autouse=True)
def _limits(monkeypatch, time_machine) -> None:
    time_machine.move_to(NOW, tick=False)
    _rates(monkeypatch, verify="3/minute", anon="2/minute")


@pytest.fixture
def certificate(learner, program):
    return _certificate(learner, program)


def test_verification_allows_exactly_the_limit_per_address_kept_copies_counted(
    shared_cache, certificate, django_assert_num_queries
):
    url = f"/verify/{certificate.verification_code}/"
    first, second = Client(), Client()  # two visitors behind one address

    assert first.get(url).status_code == 200
    with django_assert_num_queries(0):  # kept copies, counted all the same
        assert second.get(url).status_code == 200
        assert first.get(url).status_code == 200

    refused = second.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many checks" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.9").get(url).status_code == 200  # another address


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(
    shared_cache, certificate, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    url = f"/verify/{certificate.verification_code}/"

    def status(forwarded_for: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
        return client.get(url).status_code

    seen = [status("203.0.113.5") for _ in range(3)]
    forged = status("198.51.100.7, 203.0.113.5")  # what the client wrote comes first

    assert seen == [200, 200, 200] and forged == 429
    assert status("203.0.113.6") == 200  # another client behind the same proxy


def test_the_evaluate_api_refuses_the_next_kept_answer_with_retry_after(shared_cache, rules):
    first, second = Client(), Client()
    ask = {"data": QUESTION, "content_type": "application/json"}

    codes = [first.post(EVALUATE, **ask).status_code, second.post(EVALUATE, **ask).status_code]
    refused = first.post(EVALUATE, **ask)

    assert codes == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "throttled" in refused.json()["detail"].lower()


def test_the_window_slides_a_refusal_is_not_counted_and_the_limit_comes_back(
    shared_cache, certificate, time_machine
):
    url = f"/api/v1/certificates/{certificate.verification_code}/"
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]

    time_machine.shift(dt.timedelta(seconds=40))
    refused = client.get(url)
    assert (refused.status_code, refused["Retry-After"]) == (429, "20")

    time_machine.shift(dt.timedelta(seconds=20))  # the first three leave the span
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def _count_allowed(attempts: int, results: multiprocessing.Queue) -> None:
    requests = [RequestFactory().get("/verify/x/") for _ in range(attempts)]
    results.put(sum(VerificationThrottle().allow_request(r, None) for r in requests))


def test_processes_sharing_redis_together_get_exactly_the_limit(redis_url, monkeypatch):
    _rates(monkeypatch, verify="50/minute")
    with override_settings(CACHES=redis_cache_settings(redis_url)):
        cache.clear()
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        workers = [context.Process(target=_count_allowed, args=(40, results)) for _ in range(3)]
        for worker in workers:
            worker.start()
        allowed = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=10)
        cache.clear()

    assert sum(allowed) == 50  # of 120 attempts at once, never one more


def test_a_redis_that_forgot_the_script_still_counts_each_request_once(redis_url, certificate):
    """Redis restarted or flushed between requests: the script is sent whole, run once."""
    url = f"/verify/{certificate.verification_code}/"
    scripts = redis.Redis.from_url(redis_url)
    with override_settings(CACHES=redis_cache_settings(redis_url)):
        cache.clear()
        statuses = []
        for _ in range(4):  # the first answer is kept: the rest are read with the count
            scripts.script_flush()
            statuses.append(Client().get(url).status_code)
        cache.clear()

    assert statuses == [200, 200, 200, 429]


def test_with_redis_unreachable_nothing_is_answered_uncounted(certificate, rules):
    """Fail closed: without the shared count, a verification or an API answer is an error
    (and /readyz says the cache is down), never an answer nobody counted."""
    client, past_the_page_cache = Client(raise_request_exception=False), Client()
    past_the_page_cache.cookies["csrftoken"] = "x" * 32  # not kept: only the limit asks Redis
    past_the_page_cache.raise_request_exception = False
    with override_settings(CACHES=redis_cache_settings(f"redis://127.0.0.1:{_closed_port()}/0")):
        verify = client.get(f"/verify/{certificate.verification_code}/")
        evaluate = client.post(EVALUATE, QUESTION, content_type="application/json")
        api = past_the_page_cache.get(f"/api/v1/certificates/{certificate.verification_code}/")

    assert (verify.status_code, evaluate.status_code, api.status_code) == (500, 500, 500)
