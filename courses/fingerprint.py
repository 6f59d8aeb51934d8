"""The fingerprint of an offering's class: what the instructor's roster pages show, read in one
query (config/fragment_cache.py). The offering, its days, course and venue are versioned with
the public pages (config/page_cache.py)."""

from __future__ import annotations

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from accounts.models import User
from config.fragment_cache import Table, fingerprint_reader
from learners.models import HoursEntry, LearnerProfile

from .models import AssessmentResult, Attendance, DaySignOff, Enrollment, Offering

NAMES = Concat("first_name", Value("|"), "last_name", Value("|"), "email", output_field=TextField())
# (model, the column naming the offering, the field every save renews; None: append-only)
CLASS: tuple[Table, ...] = (
    (Enrollment, "offering_id", "updated_at"),
    (Attendance, "course_day__offering_id", None),
    (HoursEntry, "course_day__offering_id", None),
    (DaySignOff, "course_day__offering_id", None),
    (AssessmentResult, "enrollment__offering_id", None),
    # How each learner is named: their profile's legal name, else their account's name.
    (LearnerProfile, "user__enrollments__offering_id", "updated_at"),
    (User, "enrollments__offering_id", NAMES),
)

offering_fingerprint = fingerprint_reader(Offering, CLASS)
"""Changes with every seat saved, attendance and result recorded, ledger entry on the
offering's days, day signed off, and name a learner of the offering goes by."""
