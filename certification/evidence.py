"""A certificate's frozen evidence (written by `certification.programs._evidence` as JSON
text) read back as dates and numbers, for the registrar's page to show as tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from config.dates import provider_date


@dataclass(frozen=True)
class CourseEvidence:
    code: str
    title: str
    city: str
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class LicenseEvidence:
    jurisdiction: str
    profession: str
    number: str
    expires_on: dt.date | None
    verified_on: dt.date | None


@dataclass(frozen=True)
class Evidence:
    courses: list[CourseEvidence]
    hours: Decimal
    window_first_day: dt.date | None
    window_last_day: dt.date | None  # the stored end is exclusive: people read the last day
    window_months: int | None
    license: LicenseEvidence | None


def evidence_read(evidence: dict[str, Any]) -> Evidence:
    hours, license = evidence["hours"], evidence.get("license")
    end = _date(hours.get("window_end"))
    return Evidence(
        courses=[
            CourseEvidence(course["code"], course["title"], course["city"],
                           _date(course["first_day"]), _date(course["last_day"]))
            for course in evidence["courses"]
        ],
        hours=Decimal(hours["total"]),
        window_first_day=_date(hours.get("window_start")),
        window_last_day=end - dt.timedelta(days=1) if end else None,
        window_months=hours.get("window_months"),
        license=None if not license else LicenseEvidence(
            license["jurisdiction"], license["profession"], license["number"],
            _date(license.get("expires_on")), _moment_date(license.get("verified_at")),
        ),
    )  # fmt: skip


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text and text != "None" else None


def _moment_date(text: str | None) -> dt.date | None:
    """The provider's date of a moment kept as text ("2026-11-23 15:00:00+00:00")."""
    return provider_date(dt.datetime.fromisoformat(text)) if text and text != "None" else None
