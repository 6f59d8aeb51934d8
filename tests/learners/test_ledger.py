"""The training-hours ledger: append-only, corrections as new entries, totals summed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from learners.ledger import (
    LedgerError,
    hours_counted,
    hours_entry_correct,
    hours_entry_record,
    hours_totals,
)
from learners.models import HoursEntry, LedgerImmutableError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _record(learner, recorder, hours="9", date=dt.date(2026, 3, 14), mode="in_person",
            source="course_day"):  # fmt: skip
    return hours_entry_record(learner=learner, date=date, hours=Decimal(hours), mode=mode,
                              source=source, recorded_by=recorder, today=TODAY)  # fmt: skip


def test_it_records_quarter_hours(learner, instructor):
    entry = _record(learner, instructor, hours="8.75")

    assert (entry.hours, entry.recorded_by) == (Decimal("8.75"), instructor)


@pytest.mark.parametrize("hours", ["0", "-1", "8.1", "0.3"])
def test_it_refuses_hours_that_are_not_positive_quarters(learner, instructor, hours):
    with pytest.raises(LedgerError, match="positive multiple of 0.25"):
        _record(learner, instructor, hours=hours)
    assert not HoursEntry.objects.exists()


def test_it_refuses_a_future_dated_entry(learner, instructor):
    with pytest.raises(LedgerError, match="cannot be dated in the future \\(24 November 2026\\)"):
        _record(learner, instructor, date=TODAY + dt.timedelta(days=1))


def test_an_entry_can_never_be_updated_or_deleted(learner, instructor):
    entry = _record(learner, instructor)

    entry.hours = Decimal(27)
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        HoursEntry.objects.filter(pk=entry.pk).update(hours=27)
    with pytest.raises(LedgerImmutableError):
        HoursEntry.objects.filter(pk=entry.pk).delete()
    assert HoursEntry.objects.get().hours == Decimal(9)


def test_the_database_itself_refuses_update_and_delete(learner, instructor):
    entry = _record(learner, instructor)

    for sql in ("UPDATE learners_hoursentry SET hours = 27 WHERE id = %s",
                "DELETE FROM learners_hoursentry WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert HoursEntry.objects.get().hours == Decimal(9)


def test_a_correction_is_a_new_entry_pointing_at_the_original(learner, instructor, registrar):
    entry = _record(learner, instructor, hours="9")

    correction = hours_entry_correct(entry=entry, hours=Decimal("6.5"),
                                     reason="Left at 3 pm", recorded_by=registrar)  # fmt: skip

    assert (correction.hours, correction.corrects, correction.note) == (
        Decimal("-2.5"), entry, "Left at 3 pm"
    )  # fmt: skip
    assert hours_counted(entry) == Decimal("6.5")
    assert HoursEntry.objects.count() == 2
    hours_entry_correct(entry=entry, hours=Decimal(0), reason="Absent", recorded_by=registrar)
    assert hours_counted(entry) == 0


@pytest.mark.parametrize(
    ("hours", "reason", "message"),
    [("9", "x", "already counts 9 hours"), ("5", " ", "needs a reason"),
     ("-1", "x", "positive multiple"), ("5.1", "x", "positive multiple")],
)  # fmt: skip
def test_bad_corrections_are_refused(learner, instructor, registrar, hours, reason, message):
    entry = _record(learner, instructor)

    with pytest.raises(LedgerError, match=message):
        hours_entry_correct(entry=entry, hours=Decimal(hours), reason=reason,
                            recorded_by=registrar)  # fmt: skip
    assert HoursEntry.objects.count() == 1


def test_totals_sum_entries_and_corrections_up_to_a_date_in_one_query(
    learner, instructor, registrar, django_assert_num_queries
):
    first = _record(learner, instructor, hours="9", date=dt.date(2026, 3, 14))
    _record(learner, instructor, hours="9", date=dt.date(2026, 3, 15))
    _record(learner, registrar, hours="4", date=dt.date(2026, 5, 1), mode="online",
            source="outside")  # fmt: skip
    _record(learner, instructor, hours="9", date=dt.date(2026, 11, 20))
    hours_entry_correct(entry=first, hours=Decimal(8), reason="late", recorded_by=registrar)

    with django_assert_num_queries(1):
        totals = hours_totals(learner=learner, as_of=dt.date(2026, 6, 30))

    assert (totals.total, totals.in_person, totals.online) == (21, 17, 4)
    assert (totals.from_courses, totals.from_outside) == (17, 4)


def test_it_refuses_more_than_24_hours_on_one_date_across_entries(learner, instructor):
    _record(learner, instructor, hours="16")
    _record(learner, instructor, hours="4", mode="online", source="outside")

    with pytest.raises(LedgerError, match="14 March 2026 would hold 24.25 hours"):
        _record(learner, instructor, hours="4.25")
    _record(learner, instructor, hours="4")  # exactly 24
    assert HoursEntry.objects.count() == 3


def test_a_reversed_entry_no_longer_fills_its_day(learner, instructor, registrar):
    entry = _record(learner, instructor, hours="20")
    hours_entry_correct(
        entry=entry, hours=Decimal(0), reason="Wrong learner", recorded_by=registrar
    )

    _record(learner, instructor, hours="24")

    with pytest.raises(LedgerError, match="a day holds at most 24"):
        hours_entry_correct(entry=entry, hours=Decimal(1), reason="x", recorded_by=registrar)
    assert sum(e.hours for e in HoursEntry.objects.all()) == 24


def test_outside_training_is_spread_over_its_days(learner, registrar):
    from learners.models import OutsideTraining

    training = OutsideTraining.objects.create(
        learner=learner, provider="P", title="Three days", started_on=dt.date(2026, 3, 12),
        ended_on=dt.date(2026, 3, 14), hours=Decimal(45), in_person_hours=Decimal(45),
        evidence="evidence/x.pdf", evidence_type="application/pdf",
    )  # fmt: skip
    hours_entry_record(learner=learner, date=dt.date(2026, 3, 14), hours=Decimal(45),
                       mode="in_person", source="outside", recorded_by=registrar, today=TODAY,
                       outside_training_id=training.pk)  # fmt: skip

    _record(learner, registrar, hours="9", date=dt.date(2026, 3, 13))  # 15 + 9
    with pytest.raises(LedgerError, match="12 March 2026 would hold 24.25 hours"):
        _record(learner, registrar, hours="9.25", date=dt.date(2026, 3, 12))
