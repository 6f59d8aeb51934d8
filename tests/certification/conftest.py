import pytest


@pytest.fixture
def tn_learner(learner, instructor):
    """A PT licensed in Tennessee since June 2025 with DN-1's 27 hours (14-16 March 2026)."""
    import datetime as dt
    from decimal import Decimal

    from learners.ledger import hours_entry_record
    from learners.models import LearnerProfile, License, Profession

    pt = Profession.objects.get(code="PT")
    LearnerProfile.objects.create(user=learner, legal_name="Lena Ortiz", profession=pt)
    License.objects.create(
        learner=learner, profession=pt, jurisdiction="TN", number="TN-1",
        issued_on=dt.date(2025, 6, 1), expires_on=dt.date(2028, 1, 1),
    )  # fmt: skip
    for day in (14, 15, 16):
        hours_entry_record(
            learner=learner, date=dt.date(2026, 3, day), hours=Decimal(9), mode="in_person",
            source="course_day", recorded_by=instructor, today=dt.date(2026, 11, 23),
        )  # fmt: skip
    return learner
