"""What a learner with a confirmed seat is told comes next: when and where, what to bring.
One text for the page they land on after paying, the confirmation email and the reminders."""

from __future__ import annotations

from .models import Enrollment, Offering

WHAT_TO_BRING = (
    "clothing that lets you expose the shoulders, back, hips and legs, your license number, "
    "and proof of hepatitis B vaccination or a signed declination"
)
SEAT_CONFIRMED = (
    "You're enrolled in {course} at {venue}, {address}: {dates}, from {start} each day "
    "({tz}). Bring {bring}. A confirmation with your receipt and a calendar file is on its "
    "way to {email}; “Add to calendar” below gives you the calendar file now."
)


def date_span(offering: Offering) -> str:
    """ "14–16 March 2027", or "30 March – 1 April 2027" across months."""
    dates = offering.dates
    first, last = dates[0], dates[-1]
    if first == last:
        return f"{first:%-d %B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%-d}–{last:%-d %B %Y}"
    return f"{first:%-d %B} – {last:%-d %B %Y}"


def seat_confirmed_message(enrollment: Enrollment) -> str:
    """The message shown once the learner's payment confirmed the seat."""
    offering = enrollment.offering
    venue, first_day = offering.venue, offering.days.order_by("date").first()
    return SEAT_CONFIRMED.format(
        course=f"{offering.course.code}: {offering.course.title}", venue=venue.name,
        address=venue.one_line_address, dates=date_span(offering),
        start=f"{first_day.start_time:%-I:%M %p}", tz=venue.timezone, bring=WHAT_TO_BRING,
        email=enrollment.learner.email,
    )  # fmt: skip
