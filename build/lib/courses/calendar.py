"""An offering as an iCalendar file: one event per course day, in the venue's timezone."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from .models import Offering


def offering_calendar(offering: Offering, *, url: str, now: dt.datetime) -> bytes:
    """Return the .ics bytes; each event carries the venue's TZID and a VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//DN Tracker//Course offerings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{offering.course.code} {offering.course.title}")
    venue, tz = offering.venue, offering.venue.tz
    days = list(offering.days.all())
    for number, day in enumerate(days, start=1):
        event = Event()
        event.add("uid", f"offering-{offering.pk}-day-{day.date:%Y%m%d}@dntracker")
        event.add("dtstamp", now)
        event.add("dtstart", day.starts_at(tz))
        event.add("dtend", day.ends_at(tz))
        event.add(
            "summary",
            f"{offering.course.code} {offering.course.title} (day {number} of {len(days)})",
        )
        event.add("location", f"{venue.name}, {venue.one_line_address}")
        event.add("description", f"Details: {url}")
        event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
