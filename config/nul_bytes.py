"""Refuse NUL characters in the address, the query string and form fields, for every page and
API call. PostgreSQL cannot store or compare a text value holding NUL (the driver raises, a
500), and no field of ours takes one, so one check here answers a clear 400 before any view
or query runs, instead of a guard in each view."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

NUL = "\x00"
API_PREFIX = "/api/"

Handler = Callable[[HttpRequest], HttpResponse]


def _fields_with_nul(data: QueryDict, kind: str) -> Iterator[str]:
    for name, values in data.lists():
        if NUL in name or any(NUL in value for value in values):
            yield f'The {kind} "{name.replace(NUL, "")}" contains a NUL character (%00).'


def nul_problems(request: HttpRequest) -> list[str]:
    """What in the request holds a NUL, one message each; form fields only, never file
    contents (an uploaded PDF may hold any byte)."""
    problems = ["The address contains a NUL character (%00)."] if NUL in request.path else []
    problems += _fields_with_nul(request.GET, "query parameter")
    if request.method == "POST":
        problems += _fields_with_nul(request.POST, "form field")
    return problems


class RefuseNulBytesMiddleware:
    """A 400 naming each field that holds a NUL: JSON under /api/, a page elsewhere."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problems = nul_problems(request)
        if not problems:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": " ".join(problems)}, status=400)
        return render(request, "400.html", {"problems": problems}, status=400)
