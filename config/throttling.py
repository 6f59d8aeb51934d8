"""The rate limits per client (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES and RATES): an
anonymous caller is counted by address under `anon`, a signed-in one by account under `user`
(each caller once, under the one limit that is theirs); certificate and evidence lookups by
address under `verify`.

A limit means what DRF's throttles mean: at most N requests in any span of the rate's length,
a refusal is not counted, and Retry-After says when the oldest counted request leaves the span.
With Redis (config/redis_cache.py) the client's log is a sorted set that one script trims,
counts and appends to: one round trip, atomic across every process, and a kept answer's gate
rides in the page cache's own read (config/page_cache.py). Another cache (tests, development)
keeps DRF's own list of times. Redis unreachable fails closed: the error propagates (a 500, and
/readyz says so); nothing is answered uncounted."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

# KEYS[1] the client's log; ARGV: now, now less the span (both in seconds, as given: Lua would
# print a number with 14 digits), the limit, a unique member, the span in milliseconds. Nil
# when counted, else the oldest counted time (a string, as Redis keeps it).
SLIDING_LOG = """
local log = KEYS[1]
redis.call('ZREMRANGEBYSCORE', log, '-inf', ARGV[2])
if redis.call('ZCARD', log) < tonumber(ARGV[3]) then
  redis.call('ZADD', log, ARGV[1], ARGV[4])
  redis.call('PEXPIRE', log, ARGV[5])
  return false
end
return redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')[2]
"""
# Where a request's verdicts wait, by log key: decided once, asked again by the view.
VERDICTS = "rate_verdicts"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: float | None = None


def _verdicts(request: HttpRequest) -> dict[str, Verdict]:
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    if not hasattr(request, VERDICTS):
        setattr(request, VERDICTS, {})
    return getattr(request, VERDICTS)


def _shared_log() -> bool:
    return hasattr(cache, "get_many_and_eval")


class LoggedRateThrottle(SimpleRateThrottle):
    """DRF's throttle, its log kept by SLIDING_LOG where the cache is Redis."""

    verdict: Verdict | None = None

    def _script_args(self) -> list[str]:
        now = self.now = self.timer()
        return [repr(now), repr(now - self.duration), str(self.num_requests),
                os.urandom(8).hex(), str(self.duration * 1000)]  # fmt: skip

    def _verdict(self, oldest: bytes | None) -> Verdict:
        if oldest is None:
            return Verdict(True)
        return Verdict(False, max(0.0, float(oldest) + self.duration - self.now))

    def get_ident(self, request: HttpRequest) -> str:
        """DRF's rule for who the client is (REMOTE_ADDR, or the address NUM_PROXIES proxies
        saw), reading X-Forwarded-For from META: DRF reads it from `request.headers`, which
        copies every header, on every counted request (issue 17)."""
        forwarded = getattr(request, "_request", request).META.get("HTTP_X_FORWARDED_FOR")
        remote = request.META.get("REMOTE_ADDR")
        proxies = api_settings.NUM_PROXIES
        if proxies is not None:
            if proxies == 0 or forwarded is None:
                return remote
            addresses = forwarded.split(",")
            return addresses[-min(proxies, len(addresses))].strip()
        return "".join(forwarded.split()) if forwarded else remote

    def _log_key(self, request: HttpRequest) -> str | None:
        # Not DRF's own key: a list left there by an older release is no sorted set.
        key = self.get_cache_key(request, None) if self.rate is not None else None
        return None if key is None else f"log:{key}"

    def allow_request(self, request: HttpRequest, view: object) -> bool:
        key = self._log_key(request)
        if key is None:
            return True
        verdict = _verdicts(request).get(key)
        if verdict is None:
            if _shared_log():
                _, oldest = cache.get_many_and_eval([], SLIDING_LOG, [key], self._script_args())
                verdict = self._verdict(oldest)
            elif super().allow_request(request, view):
                verdict = Verdict(True)
            else:
                verdict = Verdict(False, super().wait())
            _verdicts(request)[key] = verdict
        self.verdict = verdict
        return verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.wait if self.verdict is not None else None

    def get_many_counted(self, request: HttpRequest, keys: list[str]) -> dict:
        """`cache.get_many(keys)`, this request counted in the same round trip where the log
        is shared; elsewhere it is counted when the limit is asked."""
        key = self._log_key(request)
        if key is None or key in _verdicts(request) or not _shared_log():
            return cache.get_many(keys)
        found, oldest = cache.get_many_and_eval(keys, SLIDING_LOG, [key], self._script_args())
        _verdicts(request)[key] = self._verdict(oldest)
        return found


def _signed_in(request: HttpRequest) -> bool:
    # A kept answer's gate asks before the session is read (config/page_cache.py): a request
    # without a user there carries no session cookie, so it is anonymous.
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class AnonymousRateThrottle(LoggedRateThrottle, AnonRateThrottle):
    def get_cache_key(self, request: HttpRequest, view: object) -> str | None:
        if _signed_in(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignedInRateThrottle(LoggedRateThrottle, UserRateThrottle):
    def get_cache_key(self, request: HttpRequest, view: object) -> str | None:
        if not _signed_in(request):
            return None  # the anonymous limit is theirs
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class VerificationThrottle(LoggedRateThrottle, AnonRateThrottle):
    """Verification by code is rate limited per client, for the pages and the API alike."""

    scope = "verify"

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@dataclass(frozen=True)
class RateGate:
    """A limit a kept answer must pass too (config/page_cache.py `gated`): asked as
    `gate(request)`; `get_many` reads the kept answer and counts the request at once."""

    throttle: type[LoggedRateThrottle]

    def __call__(self, request: HttpRequest) -> bool:
        return self.throttle().allow_request(request, None)

    def get_many(self, request: HttpRequest, keys: list[str]) -> dict:
        return self.throttle().get_many_counted(request, keys)


anonymous_rate_allowed = RateGate(AnonymousRateThrottle)
verification_allowed = RateGate(VerificationThrottle)
