"""Structured data for search engines: schema.org Course / CourseInstance as JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from courses.models import Course, Offering
from courses.seats import seats_left

register = template.Library()

# Inside <script>, "<", ">" and "&" must not appear literally (same escapes as json_script).
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def course_schema(course: Course, offerings: Iterable[Offering], base_url: str) -> dict[str, Any]:
    provider = {"@type": "Organization", "name": "DN Tracker", "url": base_url}
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": f"{course.code}: {course.title}",
        "courseCode": course.code,
        "description": course.summary,
        "provider": provider,
        "offers": _offer(course, None),
        "hasCourseInstance": [_instance(course, offering) for offering in offerings],
    }


def _offer(course: Course, offering: Offering | None) -> dict[str, Any]:
    offer = {
        "@type": "Offer",
        "category": "Paid",
        "price": str(Decimal(course.price_cents) / 100),
        "priceCurrency": course.currency.upper(),
    }
    if offering is not None:
        full = seats_left(offering) == 0
        offer["availability"] = f"https://schema.org/{'SoldOut' if full else 'InStock'}"
    return offer


def _instance(course: Course, offering: Offering) -> dict[str, Any]:
    venue = offering.venue
    return {
        "@type": "CourseInstance",
        "courseMode": "Onsite",
        "startDate": offering.first_day.isoformat(),
        "endDate": offering.last_day.isoformat(),
        "location": {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "addressLocality": venue.city,
                "addressRegion": venue.region,
                "postalCode": venue.postal_code,
                "addressCountry": venue.country,
            },
        },
        "instructor": [
            {"@type": "Person", "name": person.get_full_name()}
            for person in offering.instructors.all()
        ],
        "offers": _offer(course, offering),
    }


@register.simple_tag(takes_context=True)
def course_json_ld(context: dict, course: Course, offerings: Iterable[Offering]) -> SafeString:
    base_url = context["request"].build_absolute_uri("/")
    data = json.dumps(course_schema(course, offerings, base_url)).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(data))
