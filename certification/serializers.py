"""The API's shapes (DESIGN.md 4): requests validated field by field, verdicts and rules
written out as plain JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from learners.jurisdictions import states_and_dc
from learners.models import Profession

from .engine import Citation, Requirement, Row, Rule, Verdict
from .windows import Hours

ALL = "ALL"
MAX_ENTRIES = 5000


def number(value: Decimal) -> int | float:
    """Hours as JSON numbers: 27, 6.5 (quarter hours are exact in binary)."""
    return int(value) if value == value.to_integral_value() else float(value)


class LicenseSerializer(serializers.Serializer):
    issued = serializers.DateField(help_text="The date the license was issued.")


class HoursSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0))
    in_person = serializers.BooleanField()

    def validate_hours(self, value: Decimal) -> Decimal:
        if (value * 4) % 1:
            raise serializers.ValidationError("Hours must be a multiple of 0.25.")
        return value


class EvaluateRequestSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField(help_text='A postal code such as "VA", or "ALL".')
    profession = serializers.CharField(help_text='A profession code such as "PT".')
    as_of = serializers.DateField(required=False, help_text="Defaults to today.")
    license = LicenseSerializer(required=False, allow_null=True)
    hours = HoursSerializer(many=True, max_length=MAX_ENTRIES, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].error_messages["max_length"] = f"At most {MAX_ENTRIES:,} entries."

    def validate_jurisdiction(self, value: str) -> str:
        code = value.strip().upper()
        if code != ALL and code not in states_and_dc():
            raise serializers.ValidationError(
                f'Unknown jurisdiction "{value}": use a US postal code such as "VA", or "ALL".'
            )
        return code

    def validate_profession(self, value: str) -> str:
        code = value.strip().upper()
        if not Profession.objects.filter(code=code).exists():
            known = ", ".join(Profession.objects.values_list("code", flat=True))
            raise serializers.ValidationError(f'Unknown profession "{value}": one of {known}.')
        return code

    def hours_data(self) -> list[Hours]:
        return [
            Hours(row["date"], row["hours"], row["hours"] if row["in_person"] else Decimal(0))
            for row in self.validated_data["hours"]
        ]

    def as_of_date(self) -> dt.date:
        return self.validated_data.get("as_of") or timezone.localdate()

    def license_issued(self) -> dt.date | None:
        license = self.validated_data.get("license")
        return license["issued"] if license else None


def _window(row: Row) -> dict | None:
    if row.window is None:
        return None
    return {"start": row.window.start.isoformat(), "end": row.window.end.isoformat()}


def row_json(row: Row) -> dict:
    return {
        "label": row.requirement, "code": row.code, "required": number(row.required),
        "counted": number(row.counted), "missing": number(row.missing), "met": row.met,
        "window": _window(row),
    }  # fmt: skip


def citation_json(citation: Citation) -> dict:
    return {"url": citation.url, "title": citation.title, "date": citation.date,
            "quote": citation.quote}  # fmt: skip


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def sources_json(rule: Rule) -> list[dict]:
    """The rule's citations, each with the rule's effective and last-reviewed dates."""
    return [
        {**citation_json(c), "effective_date": _date(rule.effective_date),
         "last_reviewed": _date(rule.last_reviewed)}
        for c in rule.citations
    ]  # fmt: skip


def verdict_json(verdict: Verdict) -> dict:
    rule = verdict.rule
    return {
        "jurisdiction": rule.jurisdiction, "name": rule.name, "profession": rule.profession,
        "as_of": verdict.as_of.isoformat(), "status": str(verdict.status),
        "requirements": [row_json(r) for r in verdict.requirements],
        "conditions": list(verdict.conditions), "sources": sources_json(rule),
        "effective_date": _date(rule.effective_date), "last_reviewed": _date(rule.last_reviewed),
    }  # fmt: skip


def requirement_json(requirement: Requirement) -> dict:
    total = requirement.min_total_hours
    return {
        "label": requirement.label,
        "min_total_hours": number(total) if total is not None else None,
        "min_in_person_hours": number(requirement.min_in_person_hours),
        "window_months": requirement.window_months,
        "prior_practice_years": requirement.prior_practice_years,
    }


def rule_json(rule: Rule) -> dict:
    return {
        "jurisdiction": rule.jurisdiction, "name": rule.name, "profession": rule.profession,
        "status": str(rule.status),
        "requirements": [requirement_json(r) for r in rule.requirements],
        "conditions": list(rule.conditions),
        "citations": [citation_json(c) for c in rule.citations],
        "effective_date": _date(rule.effective_date), "last_reviewed": _date(rule.last_reviewed),
    }  # fmt: skip
