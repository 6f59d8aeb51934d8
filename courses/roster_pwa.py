"""The instructor's roster as an installable web app (issue 19): the web app manifest and
the service worker, both served by the site under /teach/ so the worker's scope covers every
teaching page. Neither holds personal data; the worker caches what the instructor opens."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from .checkin import day_short_codes
from .models import CourseDay, Offering
from .services.roster import RosterLine

# Everything a cached roster page needs to run with no network.
OFFLINE_ASSETS = (
    "css/site.css",
    "js/nav.js",
    "js/roster-pwa.js",
    "js/roster-store.js",
    "js/roster-offline.js",
    "js/sign-out.js",
    "vendor/jsqr/jsQR.js",
    "img/favicon.svg",
    "img/roster-192.png",
    "img/roster-512.png",
)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("teaching_home")
    response = JsonResponse({
        "name": "DN Tracker roster", "short_name": "Roster", "start_url": home, "scope": home,
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#0b4f78",
        "icons": [
            {"src": static(f"img/roster-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png"}
            for size in (192, 512)
        ],
    })  # fmt: skip
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker's script names the current static files, so a deployment is a new worker
    that replaces the old cache."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    script = render_to_string(
        "teaching/sw.js",
        {
            "assets": json.dumps(assets),
            "version": hashlib.sha256("".join(assets).encode()).hexdigest()[:12],
        },
    )
    response = HttpResponse(script, content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("teaching_home")
    response["Cache-Control"] = "no-cache"
    return response


def roster_urls(offerings: Iterable[Offering]) -> list[str]:
    """The teaching pages the worker keeps for these offerings: each one's page and days."""
    ids = [offering.pk for offering in offerings]
    days = CourseDay.objects.filter(offering_id__in=ids).order_by("offering_id", "date")
    return [reverse("teaching_offering", args=[pk]) for pk in ids] + [
        reverse("teaching_day", args=[day.offering_id, day.pk]) for day in days
    ]


def roster_config(*, day: CourseDay, lines: list[tuple[RosterLine, str]], csrf: str) -> dict:
    """What the day page's script needs to work offline: the roster, and each seat's short
    check-in code for the day (the instructor may mark any of them anyway)."""
    seats = [line.enrollment.pk for line, _name in lines]
    codes = day_short_codes(seats, day.date)
    return {
        "offering": day.offering_id, "day": day.pk, "date": day.date.isoformat(),
        "dayLabel": f"{day.date:%a %-d %b}", "syncUrl": reverse("api_roster_sync"),
        "csrf": csrf,
        "learners": [{"enrollment": line.enrollment.pk, "name": name} for line, name in lines],
        "codes": {code: seat for seat, code in codes.items()},
    }  # fmt: skip
