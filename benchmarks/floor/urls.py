"""Every path answers with the floor page, so each benchmarked URL has a floor twin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import re_path


def floor(request: HttpRequest) -> HttpResponse:
    items = [f"Item {n}" for n in range(10)]
    return render(request, "floor.html", {"title": "Floor", "items": items})


urlpatterns = [re_path(r"", floor)]
