"""Many learners' hours read at once for re-evaluations in batches (`learners_days`) measure
exactly what one learner's ledger read on its own does, on random ledgers with corrections
and entries after the as-of date, in one query however many learners."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.engine import Requirement, Rule, RuleStatus, evaluate, prepare_hours
from certification.learner_facts import learner_hours, learners_days
from certification.windows import Days
from learners.ledger import hours_entry_correct, hours_entry_record
from learners.models import HoursEntry
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = dt.date(2026, 11, 23)
AS_OF = dt.date(2026, 3, 1)  # some entries come after it
RULES = [
    Rule("XX", "Exampleland", "PT", RuleStatus.PERMITTED, (requirement,))
    for requirement in (
        Requirement("all time", Decimal(30), Decimal(10)),
        Requirement("a year", Decimal(20), Decimal(5), 12),
        Requirement("six months", Decimal(12), Decimal(0), 6),
    )
]


def _random_ledger(learner, recorder, rng: random.Random) -> None:
    for _ in range(rng.randint(0, 12)):
        entry = hours_entry_record(
            learner=learner, recorded_by=recorder, today=TODAY,
            date=TODAY - dt.timedelta(days=rng.randint(0, 700)),
            hours=Decimal(rng.randint(1, 32)) / 4, mode=rng.choice(["in_person", "online"]),
            source=HoursEntry.Source.OUTSIDE,
        )  # fmt: skip
        if rng.random() < 0.3:  # corrected down, or reversed
            hours_entry_correct(entry=entry, hours=Decimal(rng.randint(0, 3)) / 4,
                                reason="Miscounted", recorded_by=recorder)  # fmt: skip


def test_learners_days_measures_every_ledger_as_the_learners_own_read(instructor):
    rng = random.Random(18)
    learners = [UserFactory() for _ in range(12)]
    for learner in learners:
        _random_ledger(learner, instructor, rng)
    nothing_yet, none_at_all = UserFactory(), UserFactory()  # left out of the batch's read
    hours_entry_record(learner=nothing_yet, date=AS_OF + dt.timedelta(days=1), hours=Decimal(8),
                       mode="online", source=HoursEntry.Source.OUTSIDE, recorded_by=instructor,
                       today=TODAY)  # fmt: skip
    learners += [nothing_yet, none_at_all]

    with CaptureQueriesContext(connection) as queries:
        batch = learners_days([learner.pk for learner in learners], as_of=AS_OF)

    assert len(queries) == 1
    for learner in learners:
        plain = prepare_hours(learner_hours(learner), as_of=AS_OF)
        days = batch.get(learner.pk, Days(()))
        assert (days.dates, days.totals, days.in_person) == (
            plain.dates, plain.totals, plain.in_person
        )  # fmt: skip
        for rule in RULES:
            for issued in (None, dt.date(2020, 5, 1)):
                assert evaluate(rule, hours=days, license_issued=issued, as_of=AS_OF) == (
                    evaluate(rule, hours=learner_hours(learner), license_issued=issued,
                             as_of=AS_OF)
                )  # fmt: skip
    # Those without an entry up to the date are left out; the rest are all there.
    assert set(batch) == {
        learner.pk for learner in learners if prepare_hours(learner_hours(learner), as_of=AS_OF)
    }
    assert nothing_yet.pk not in batch and none_at_all.pk not in batch
    assert any(len(days) > 3 for days in batch.values())
