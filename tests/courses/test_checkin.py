"""Check-in codes (issue 19): a signed token that proves seat and day, and a short code to
type, unique within the day's roster. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from courses.checkin import (
    LONG_LENGTH,
    CheckinError,
    checkin_token,
    checkin_token_read,
    day_short_codes,
    seat_for_code,
    short_code,
    token_parts,
)

DAY = dt.date(2026, 11, 23)


def test_it_reads_back_the_seat_of_a_token_on_its_day():
    token = checkin_token(41, DAY)

    assert token.startswith("41:2026-11-23:")
    assert checkin_token_read(token, day=DAY) == 41
    assert token_parts(token) == (41, DAY)


def test_the_token_changes_daily_and_is_refused_on_another_day():
    tomorrow = DAY + dt.timedelta(days=1)

    assert checkin_token(41, DAY) != checkin_token(41, tomorrow)
    with pytest.raises(CheckinError, match="is for 23 November 2026, not this day"):
        checkin_token_read(checkin_token(41, DAY), day=tomorrow)


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("41:", "42:", 1),              # another seat, same signature
    lambda t: t.replace("2026-11-23", "2026-11-24"),   # another day
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # a changed signature
])  # fmt: skip
def test_a_forged_token_is_refused(edit):
    with pytest.raises(CheckinError, match="signature does not match"):
        checkin_token_read(edit(checkin_token(41, DAY)), day=DAY)


def test_a_token_signed_with_another_key_is_refused():
    with override_settings(SECRET_KEY="another-key-" * 5):
        theirs = checkin_token(41, DAY)
    with pytest.raises(CheckinError, match="signature does not match"):
        checkin_token_read(theirs, day=DAY)


@pytest.mark.parametrize("text", ["", "hello", "x:y:z", "41:2026-13-01:sig"])
def test_text_that_is_no_token_is_refused(text):
    with pytest.raises(CheckinError, match="not a check-in code"):
        checkin_token_read(text, day=DAY)


def test_short_codes_are_six_plain_characters_found_however_typed():
    codes = day_short_codes(range(1, 31), DAY)

    assert all(len(c) == 6 and c.isalnum() and c.isupper() for c in codes.values())
    assert len(set(codes.values())) == 30
    assert seat_for_code(f" {codes[7].lower()[:3]}-{codes[7][3:]} ", codes) == 7
    with pytest.raises(CheckinError, match="No seat on this day's roster has the code"):
        seat_for_code("AAAAAA", codes)


def test_seats_sharing_a_short_code_on_a_roster_both_get_a_longer_one():
    # One character gives 32 codes: 40 seats must share some.
    codes = day_short_codes(range(1, 41), DAY, length=1)

    shared = [seat for seat, code in codes.items() if len(code) == LONG_LENGTH]
    assert shared and len(set(codes.values())) == 40
    assert all(codes[s] == short_code(s, DAY, length=LONG_LENGTH) for s in shared)
    assert all(seat_for_code(code, codes) == seat for seat, code in codes.items())
