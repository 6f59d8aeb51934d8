"""Public catalog pages: the offerings list, one offering, and its calendar file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from config.dates import provider_today
from config.page_cache import cacheable

from . import selectors
from .calendar import offering_calendar
from .forms import OfferingFilterForm
from .gate import already_enrolled, enrollment_refusals
from .refunds import tiers_in_force


def offering_list(request: HttpRequest) -> HttpResponse:
    form = OfferingFilterForm(request.GET or None)
    offerings = selectors.offerings_public()
    filters = form.cleaned_data if form.is_valid() else {}
    if course := filters.get("course"):
        offerings = offerings.filter(course=course)
    if state := filters.get("state"):
        offerings = offerings.filter(venue__region=state)
    if month := filters.get("month"):
        offerings = offerings.filter(first_day__year=month.year, first_day__month=month.month)
    else:
        offerings = offerings.filter(last_day__gte=provider_today())
    return cacheable(
        render(request, "courses/offering_list.html", {"form": form, "offerings": offerings})
    )


def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get_public(pk=pk)
    page = getattr(offering.course, "page", None)
    refusals, already = None, None
    if request.user.is_authenticated and offering.is_open:
        now = timezone.now()
        facts = selectors.enrollment_gate_facts(learner=request.user, offering=offering, now=now)
        already = already_enrolled(facts)
        refusals = [r for r in enrollment_refusals(facts) if r not in already]
    # A refused enroll comes back here: a reason the enroll box lists is not said twice.
    shown = [*(refusals or ()), *(already or ())]
    notices = [m for m in messages.get_messages(request) if m.message not in shown]
    return cacheable(render(request, "courses/offering_detail.html", {
        "messages": notices,
        "offering": offering,
        "refund_tiers": tiers_in_force(selectors.refund_tiers(offering)),
        "course_page": page if page and page.live else None,
        "refusals": refusals,
        "already": already,
        "hold_minutes": settings.SEAT_HOLD_MINUTES,
        "waitlist_hours": settings.WAITLIST_OFFER_HOURS,
    }))  # fmt: skip


def offering_ics(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get_public(pk=pk)
    url = request.build_absolute_uri(reverse("offering_detail", args=[pk]))
    body = offering_calendar(offering, url=url, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{offering.course.code}-{offering.first_day:%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
