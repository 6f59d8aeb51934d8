"""How an offering's availability reads to a visitor."""

from __future__ import annotations

from .models import Offering


def seats_left(offering: Offering) -> int:
    """Capacity minus the annotated `seats_taken` (see selectors), never below zero."""
    return max(0, offering.capacity - offering.seats_taken)


def availability_label(offering: Offering) -> str:
    """ "3 seats left", "1 seat left", "Full", or the status when it is not open."""
    if offering.status != Offering.Status.OPEN:
        return offering.get_status_display()
    left = seats_left(offering)
    if left == 0:
        return "Full"
    return f"{left} seat left" if left == 1 else f"{left} seats left"
