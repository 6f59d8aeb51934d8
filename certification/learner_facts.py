"""A learner's facts as the engine takes them: ledger hours, profession, license dates. Two
queries whatever the size of the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from accounts.models import User
from learners.models import HoursEntry, LearnerProfile, License

from .windows import Hours


@dataclass(frozen=True)
class LearnerFacts:
    profession: str | None
    hours: list[Hours]
    licenses: dict[str, License]  # jurisdiction -> the learner's license there (not rejected)

    @property
    def license_issued(self) -> dict[str, dt.date | None]:
        return {code: lic.issued_on for code, lic in self.licenses.items()}


def learner_hours(learner: User, **filters: object) -> list[Hours]:
    """The learner's ledger summed by date (total and in person), oldest first, in one query;
    `filters` narrow the entries (e.g. to some courses' days)."""
    rows = (
        HoursEntry.objects.filter(learner=learner, **filters)
        .values("date")
        .annotate(
            total=Sum("hours"),
            in_person=Sum("hours", filter=Q(mode=HoursEntry.Mode.IN_PERSON), default=Decimal(0)),
        )
        .order_by("date")
    )
    return [Hours(r["date"], r["total"], r["in_person"]) for r in rows]


def learner_facts(learner: User) -> LearnerFacts:
    profile = LearnerProfile.objects.filter(user=learner).select_related("profession").first()
    licenses = (
        License.objects.filter(learner=learner)
        .exclude(status=License.Status.REJECTED)
        .select_related("profession")
        .order_by("issued_on")
    )
    by_jurisdiction: dict[str, License] = {}
    for license in licenses:
        by_jurisdiction.setdefault(license.jurisdiction, license)  # the oldest counts
    profession = profile.profession.code if profile and profile.profession else None
    if profession is None and by_jurisdiction:
        profession = next(iter(by_jurisdiction.values())).profession.code
    return LearnerFacts(profession, learner_hours(learner), by_jurisdiction)
