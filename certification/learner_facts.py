"""A learner's facts as the engine takes them: ledger hours, profession, license dates. Two
queries whatever the size of the ledger; for many learners at once (re-evaluations in
batches), one query per fact whatever the number of learners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db.models import Q, QuerySet, Sum

from accounts.models import User
from config.dates import provider_today
from learners.models import HoursEntry, LearnerProfile, License
from learners.selectors import license_is_current, licenses_with_currency

from .windows import Days, Hours


@dataclass(frozen=True)
class LearnerFacts:
    """What the self-check knows of a learner. A license counts while it is current
    (learners.selectors.license_is_current): pending ones too, which the pages mark as
    pending, since the self-check answers "may I dry needle there", not "are you certified";
    an expired one does not count (no dry needling on an expired license), and the pages
    say it expired, until a current license in that jurisdiction replaces it."""

    profession: str | None
    hours: list[Hours]
    licenses: dict[str, License]  # jurisdiction -> the learner's current license there
    expired: dict[str, License] = field(default_factory=dict)  # jurisdiction -> last expired

    @property
    def license_issued(self) -> dict[str, dt.date | None]:
        return {code: lic.issued_on for code, lic in self.licenses.items()}

    def profession_in(self, jurisdiction: str) -> str:
        """The profession the learner is answered for there: their license's where they hold
        one (each license for its own profession), else their profile's."""
        license = self.licenses.get(jurisdiction)
        return license.profession.code if license else self.profession or ""

    @property
    def pending(self) -> set[str]:
        """Jurisdictions whose current license a registrar has not verified yet."""
        unverified = License.Status.UNVERIFIED
        return {code for code, lic in self.licenses.items() if lic.status == unverified}


# Where a learner holds several current licenses in one jurisdiction, the oldest is the one
# the self-check answers for (and with its profession).
COUNTING_ORDER = ("issued_on", "pk")


def licenses_counted_in(
    jurisdiction: str, learner_ids: Iterable[int], *, today: dt.date
) -> dict[int, tuple[str, dt.date]]:
    """For many learners at once (one query), the license the self-check counts for them in
    `jurisdiction`, as `learner_facts` picks it: its profession's code and issue date; a
    learner without a current license there is left out."""
    rows = (
        License.objects.filter(license_is_current(today=today), jurisdiction=jurisdiction,
                               learner_id__in=list(learner_ids))
        .order_by(*COUNTING_ORDER)
        .values_list("learner_id", "profession__code", "issued_on")
    )  # fmt: skip
    counted: dict[int, tuple[str, dt.date]] = {}
    for learner_id, profession, issued in rows:
        counted.setdefault(learner_id, (profession, issued))
    return counted


def learner_hours(learner: User, **filters: object) -> list[Hours]:
    """The learner's ledger summed by date (total and in person), oldest first, in one query;
    `filters` narrow the entries (e.g. to some courses' days)."""
    return [Hours(date, total, in_person)
            for _, date, total, in_person in _daily_sums([learner.pk], **filters)]  # fmt: skip


def learners_days(
    learner_ids: Iterable[int], *, as_of: dt.date, **filters: object
) -> dict[int, Days]:
    """Many learners' hours as the engine measures them as of a date (what `prepare_hours`
    makes of `learner_hours`: entries after the date left out), by learner id, in one query
    whatever their number; for re-evaluations in batches. A learner without an entry is left
    out (`Days([])`). `filters` narrow the entries."""
    days = {}
    rows = _daily_sums(learner_ids, date__lte=as_of, **filters)
    for learner_id, group in groupby(rows, key=itemgetter(0)):
        _, dates, totals, in_person = zip(*group, strict=True)
        days[learner_id] = Days.from_daily(dates, totals, in_person)
    return days


def _daily_sums(
    learner_ids: Iterable[int], **filters: object
) -> QuerySet[tuple[int, dt.date, Decimal, Decimal]]:
    """(learner id, date, hours, in person) summed by learner and date, in that order, as
    plain rows (no model objects)."""
    return (
        HoursEntry.objects.filter(learner_id__in=list(learner_ids), **filters)
        .values("learner_id", "date")
        .annotate(
            total=Sum("hours"),
            in_person=Sum("hours", filter=Q(mode=HoursEntry.Mode.IN_PERSON), default=Decimal(0)),
        )
        .order_by("learner_id", "date")
        .values_list("learner_id", "date", "total", "in_person")
    )


def learner_facts(learner: User, *, today: dt.date | None = None) -> LearnerFacts:
    """The learner's facts with their licenses as of `today` (the provider's, by default)."""
    today = today or provider_today()
    profile = LearnerProfile.objects.filter(user=learner).select_related("profession").first()
    current: dict[str, License] = {}
    expired: dict[str, License] = {}
    licenses = list(licenses_with_currency(user=learner, today=today).order_by(*COUNTING_ORDER))
    for license in licenses:
        if license.current:
            current.setdefault(license.jurisdiction, license)  # the first in COUNTING_ORDER
        elif license.expired:
            expired[license.jurisdiction] = license  # the latest issued
    profession = profile.profession.code if profile and profile.profession else None
    if profession is None and licenses:  # a profession outlives a license's term
        profession = licenses[0].profession.code
    expired = {code: lic for code, lic in expired.items() if code not in current}
    return LearnerFacts(profession, learner_hours(learner), current, expired)
