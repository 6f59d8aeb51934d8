"""Whether an offering takes enrollments now (DESIGN.md 3.3: "registration is open"), and how
that reads: the one owner of an offering's registration state, which follows its status, its
registration window and its dates (a class under way or over takes nobody, whatever its
status says). A pure function of plain data; `Offering.registration_state` feeds it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    UNDER_WAY = "under_way"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    DRAFT = "draft"


@dataclass(frozen=True)
class Registration:
    state: State
    label: str  # what a visitor reads where seats would be counted
    refusal: str  # what a learner is told when they try to enroll; "" when open

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


def _day(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return f"{moment.astimezone(tz):%-d %B %Y}"


def registration_state(
    *, status: str, opens_at: dt.datetime, closes_at: dt.datetime,
    first_day: dt.date | None, last_day: dt.date | None, now: dt.datetime, tz: dt.tzinfo,
) -> Registration:  # fmt: skip
    """The offering's registration as of `now`; dates are the venue's (`tz`)."""
    today = now.astimezone(tz).date()
    if status == "cancelled":
        return Registration(State.CANCELLED, "Cancelled", "This offering is cancelled.")
    if status == "draft":
        return Registration(State.DRAFT, "Not published", "This offering is not published yet.")
    if status == "completed" or (last_day is not None and last_day < today):
        return Registration(State.FINISHED, "Finished", "This class has finished.")
    if first_day is not None and first_day <= today:
        return Registration(
            State.UNDER_WAY, "Under way", f"This class started on {first_day:%-d %B %Y}."
        )
    if status == "closed":
        return Registration(State.CLOSED, "Registration closed", "Registration is closed.")
    if now < opens_at:
        when = _day(opens_at, tz)
        return Registration(
            State.NOT_YET_OPEN, f"Registration opens {when}", f"Registration opens on {when}."
        )
    if now >= closes_at:
        return Registration(
            State.CLOSED, "Registration closed", f"Registration closed on {_day(closes_at, tz)}."
        )
    return Registration(State.OPEN, "Open for registration", "")
