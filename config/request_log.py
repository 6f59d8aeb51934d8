"""One JSON log line per request, under a request id (README "Production": logs).

The id is the proxy's `X-Request-ID` when the site sits behind one (`NUM_PROXIES` > 0,
the same setting the rate limits trust `X-Forwarded-For` by) and the value looks like an
id; otherwise a new one. Either way it is echoed in the response's `X-Request-ID`, so a
user's report or the proxy's log leads to our lines.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .logs import request_id_var

logger = logging.getLogger("dntracker.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What proxies send (UUIDs, hex, Heroku's and AWS's ids); nothing that could forge a line.
_REQUEST_ID_FORMAT = re.compile(r"[A-Za-z0-9._:+/=-]{8,128}")

Handler = Callable[[HttpRequest], HttpResponse]


def request_id_for(request: HttpRequest) -> str:
    """The proxy's id when we are behind a trusted proxy and it is well formed, else a new one."""
    if settings.NUM_PROXIES > 0:  # read from META: `request.headers` copies every header
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        if _REQUEST_ID_FORMAT.fullmatch(offered):
            return offered
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Outermost middleware: gives the request its id, then logs how it ended."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # no query string: it may carry tokens
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
