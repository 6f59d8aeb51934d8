"""A seat's check-in code for one course day (issue 19): what the learner's phone shows and
the instructor's roster scans or types. Pure functions of (seat, date, key): no database.

The QR token is `<seat>:<YYYY-MM-DD>:<signature>` signed with django.core.signing under its own
salt, so it proves the seat and the venue-local date (nothing about who holds the phone) and
changes every day. Seat and date are readable without the key: the roster checks them offline
against the day's expected seats and the server checks the signature when the mark syncs.

The short code is for typing: the first SHORT_LENGTH characters (base32: A-Z and 2-7, nothing
to confuse with 0, 1 or 8) of an HMAC of the same payload. Two seats of one day's roster may
share a short code (about one roster in 70 million for 30 seats); then both use LONG_LENGTH
characters of their HMAC, and `day_short_codes` is the one place that decides it: the
learner's page and the roster both ask it, so they always agree.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from config.errors import ApplicationError

TOKEN_SALT = "courses.checkin.token"
SHORT_SALT = "courses.checkin.short-code"
SHORT_LENGTH = 6
LONG_LENGTH = 10

BAD_SIGNATURE = "This check-in code is not one of ours (its signature does not match)."
MALFORMED = "This is not a check-in code."
OTHER_CLASS = "This check-in code is for a seat in another class."
OTHER_DAY = "This check-in code is for {date}, not this day."
UNKNOWN_SHORT_CODE = "No seat on this day's roster has the code {code}."


class CheckinError(ApplicationError):
    code = "checkin_refused"


def _payload(seat_id: int, day: dt.date) -> str:
    return f"{seat_id}:{day.isoformat()}"


def checkin_token(seat_id: int, day: dt.date) -> str:
    """The QR code's text for the seat on that day."""
    return signing.Signer(salt=TOKEN_SALT).sign(_payload(seat_id, day))


def token_parts(token: str) -> tuple[int, dt.date]:
    """Seat and date as the token states them, signature unchecked (the offline roster's view)."""
    try:
        seat, day, _signature = token.strip().split(":")
        return int(seat), dt.date.fromisoformat(day)
    except ValueError as error:
        raise CheckinError(MALFORMED) from error


def checkin_token_read(token: str, *, day: dt.date) -> int:
    """The seat a token checks in on `day`; refused when forged, malformed or of another day."""
    seat_id, stated = token_parts(token)
    try:
        signing.Signer(salt=TOKEN_SALT).unsign(token.strip())
    except signing.BadSignature as error:
        raise CheckinError(BAD_SIGNATURE) from error
    if stated != day:
        raise CheckinError(OTHER_DAY.format(date=f"{stated:%-d %B %Y}"))
    return seat_id


def short_code(seat_id: int, day: dt.date, *, length: int = SHORT_LENGTH) -> str:
    digest = salted_hmac(
        SHORT_SALT, _payload(seat_id, day), secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()
    return base64.b32encode(digest).decode()[:length]


def day_short_codes(
    seat_ids: Iterable[int], day: dt.date, *, length: int = SHORT_LENGTH
) -> dict[int, str]:
    """Each seat's short code on the day's roster: `length` characters, or LONG_LENGTH for
    seats whose short code another seat of the roster shares."""
    seats = list(seat_ids)
    codes = {seat: short_code(seat, day, length=length) for seat in seats}
    shared = {code for code, count in Counter(codes.values()).items() if count > 1}
    return {
        seat: short_code(seat, day, length=LONG_LENGTH) if code in shared else code
        for seat, code in codes.items()
    }


def normalise_code(typed: str) -> str:
    """What a person typed, as codes are written: no spaces or dashes, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def seat_for_code(code: str, codes: dict[int, str]) -> int:
    """The seat of a typed short code among the day's codes (`day_short_codes`)."""
    typed = normalise_code(code)
    for seat, expected in codes.items():
        if hmac.compare_digest(typed, expected):
            return seat
    raise CheckinError(UNKNOWN_SHORT_CODE.format(code=typed or "(empty)"))


def is_token(code: str) -> bool:
    return code.count(":") == 2
