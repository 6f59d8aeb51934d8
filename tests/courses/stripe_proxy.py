"""A fault-injecting HTTP proxy between the site and the session's localstripe: it forwards
every request, and can be told to drop the answer after forwarding (the charge happened,
the site never hears it), to delay a request, or to answer with a Stripe error instead.

localstripe ignores `Idempotency-Key`; Stripe replays the first answer to a key for 24
hours. The proxy does what Stripe does, so the tests measure how the site uses its keys.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest


@dataclass
class Rule:
    method: str
    path: str  # a fragment of the request path, e.g. "/confirm"
    action: str  # "drop", "delay" or "fail"
    times: int = 1_000_000
    seconds: float = 0.0
    body: bytes = b""
    status: int = 400
    seen: threading.Event = field(default_factory=threading.Event)


class StripeProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.rules: list[Rule] = []
        self.log: list[tuple[str, str]] = []
        self._answers: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def drop(self, method: str, path: str, times: int = 3) -> Rule:
        """Forward, then hang up: three times outlasts the client's two retries."""
        return self._add(Rule(method, path, "drop", times=times))

    def delay(self, method: str, path: str, seconds: float, times: int = 1) -> Rule:
        return self._add(Rule(method, path, "delay", times=times, seconds=seconds))

    def fail(self, method: str, path: str, message: str, times: int = 1) -> Rule:
        body = b'{"error": {"type": "invalid_request_error", "message": "%s"}}' % message.encode()
        return self._add(Rule(method, path, "fail", times=times, body=body))

    def _add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def _rule_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.method == method and rule.path in path and rule.times > 0:
                    rule.times -= 1
                    return rule
        return None

    def _forward(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
        key = headers.get("Idempotency-Key") if method == "POST" else None
        with self._lock:
            if key in self._answers:
                return self._answers[key]
        upstream = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port)
        upstream.request(method, path, body=body or None, headers={
            "Authorization": headers.get("Authorization", ""),
            "Content-Type": headers.get("Content-Type", "application/x-www-form-urlencoded"),
        })  # fmt: skip
        response = upstream.getresponse()
        answer = (response.status, response.read())
        upstream.close()
        if key and answer[0] < 500:
            with self._lock:
                self._answers.setdefault(key, answer)
                answer = self._answers[key]
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.log.append((self.command, self.path))
                rule = proxy._rule_for(self.command, self.path)
                if rule:
                    rule.seen.set()
                if rule and rule.action == "delay":
                    time.sleep(rule.seconds)
                if rule and rule.action == "fail":
                    status, payload = rule.status, rule.body
                else:
                    status, payload = proxy._forward(self.command, self.path,
                                                     dict(self.headers), body)  # fmt: skip
                if rule and rule.action == "drop":
                    self.close_connection = True  # the answer is lost on its way back
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _serve

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stripe_proxy(localstripe: str, settings) -> Iterator[StripeProxy]:
    """The site talks to localstripe through a StripeProxy for this test."""
    from courses import stripe_api

    proxy = StripeProxy(localstripe)
    settings.STRIPE_API_BASE = proxy.url
    stripe_api._client.cache_clear()
    yield proxy
    proxy.close()
    stripe_api._client.cache_clear()
