"""Demo learner profiles for `seed_demo`: every demo learner can enroll straight away (a PT
with a verified Virginia license, and so on), except Noah, whose license awaits the
registrar. Ana holds verified licenses in Maryland and Virginia, whose rules ask for more
hours than her DN-1: her plan ("My plan") shows what to book. Existing profiles are left
alone."""

from __future__ import annotations

import datetime as dt

from accounts.models import User

from .models import LearnerProfile, License, Profession

# email: (profession, jurisdiction, license number); more licenses in EXTRA_LICENSES
DEMO_LEARNERS = {
    "learner@example.com": ("PT", "VA", "0101-234567"),
    "sam.lee@example.com": ("DC", "NC", "NC-DC-4411"),
    "priya.nair@example.com": ("PT", "AZ", "PT-018822"),
    "tom.berg@example.com": ("ATC", "CO", "ATC-7731"),
    "maya.cruz@example.com": ("PT", "WA", "PT60012345"),
    "noah.kim@example.com": ("PT", "VA", "0101-777001"),
    "ana.reyes@example.com": ("PT", "MD", "R07731"),
}
EXTRA_LICENSES = {"ana.reyes@example.com": [("PT", "VA", "0101-880042")]}
AWAITING_VERIFICATION = {"noah.kim@example.com"}


def demo_learners_seed(*, today: dt.date) -> None:
    for user in User.objects.filter(email__in=DEMO_LEARNERS):
        code, jurisdiction, number = DEMO_LEARNERS[user.email]
        profession = Profession.objects.get(code=code)
        LearnerProfile.objects.get_or_create(
            user=user, defaults={"legal_name": user.get_full_name(), "profession": profession}
        )
        for license in [(code, jurisdiction, number), *EXTRA_LICENSES.get(user.email, [])]:
            _license_ensure(user, *license, today=today)


def _license_ensure(
    user: User, code: str, jurisdiction: str, number: str, *, today: dt.date
) -> None:
    profession = Profession.objects.get(code=code)
    License.objects.get_or_create(
        learner=user, jurisdiction=jurisdiction, profession=profession, number=number,
        defaults={
            "issued_on": dt.date(2019, 6, 1),
            "expires_on": dt.date(today.year + 2, 6, 30),
            "status": License.Status.UNVERIFIED
            if user.email in AWAITING_VERIFICATION
            else License.Status.VERIFIED,
        },
    )  # fmt: skip
