"""One shape for every refusal (issue 13): a service that refuses an action raises an
ApplicationError carrying the reasons, one sentence each for the person who asked, and
changes nothing. Views hand it to one of the helpers below, so a reason reaches the page,
the form or the API exactly once and in the same words everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """An action was refused and nothing changed. `reasons`: what to tell the person, each
    once and in order; `code`: the kind of refusal, for programs reading the API."""

    code = "refused"

    def __init__(self, reasons: str | Iterable[str]) -> None:
        given = [reasons] if isinstance(reasons, str) else reasons
        # A reason met twice (two rows, two checks of one rule) is still one thing to fix.
        self.reasons: tuple[str, ...] = tuple(dict.fromkeys(given))
        super().__init__(" ".join(self.reasons))


def error_messages(request: HttpRequest, error: ApplicationError) -> None:
    """Each reason as an error message on the next page shown."""
    for reason in error.reasons:
        messages.error(request, reason)


def error_on_form(form: forms.Form, error: ApplicationError, field: str | None = None) -> None:
    """Each reason as an error of the form (`field`, or the form as a whole)."""
    for reason in error.reasons:
        form.add_error(field, reason)


def error_body(error: ApplicationError) -> dict[str, Any]:
    """What the API answers for a refusal: `detail` as DRF's own errors, and the reasons."""
    return {"detail": str(error), "reasons": list(error.reasons), "code": error.code}


def error_json(error: ApplicationError, status: int = 400) -> JsonResponse:
    return JsonResponse(error_body(error), status=status)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's handler, with a refusal a 400 in `error_body`'s shape, not a 500."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc), status=400)
    if isinstance(exc, RequestDataTooBig):  # Django's own answer to it is an HTML page
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = ParseError(f"The request body is larger than the {limit:,} bytes accepted.")
    return exception_handler(exc, context)
