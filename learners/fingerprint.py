"""The fingerprint of a learner's record: what their dashboard and self-check show, read in one
query (config/fragment_cache.py). Every table those pages read about the learner is here;
what they read of the catalog, the programs and the rules is versioned elsewhere (the public
pages' version, the rules' version)."""

from __future__ import annotations

from accounts.models import User
from certification.models import Certificate
from config.fragment_cache import Table, fingerprint_reader
from courses.models import AssessmentResult, Enrollment

from .models import HoursEntry, LearnerProfile, License, OutsideTraining, RuleChangeNotice

# (model, the column naming the learner, the field every save renews; None: append-only)
RECORD: tuple[Table, ...] = (
    (HoursEntry, "learner_id", None),
    (AssessmentResult, "enrollment__learner_id", None),
    (LearnerProfile, "user_id", "updated_at"),
    (License, "learner_id", "updated_at"),
    (OutsideTraining, "learner_id", "updated_at"),
    (Enrollment, "learner_id", "updated_at"),
    (Certificate, "learner_id", "updated_at"),
    # Shown until dismissed; nothing else of a notice changes after it is written.
    (RuleChangeNotice, "learner_id", "dismissed_at"),
)


learner_fingerprint = fingerprint_reader(User, RECORD)
"""Changes with every entry on the learner's ledger and every result recorded for them, and
every save of their profile, licenses, outside training, seats and certificates, and with
every rule-change notice written or dismissed."""
