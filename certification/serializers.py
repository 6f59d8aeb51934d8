"""The API's shapes (DESIGN.md 4): requests validated field by field, verdicts and rules
written out as plain JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import DatabaseError
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from config.dates import provider_today
from config.page_cache import versioned
from learners.hours import validate_quarter_hours
from learners.jurisdictions import states_and_dc
from learners.models import Profession

from .engine import Citation, Requirement, Row, Rule, RuleStatus, Status, Verdict
from .planner import TARGET_IN_THE_PAST
from .windows import Hours

ALL = "ALL"
MAX_ENTRIES = 5000
# Dates the API takes: far enough back for any license, far enough ahead for any plan; the
# window arithmetic of a date near 9999 would leave the calendar.
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
DATE_RANGE = f"between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}"
MAX_HOURS = 99999.75  # what the field's 7 digits hold, in quarter hours


def number(value: Decimal) -> int | float:
    """Hours as JSON numbers: 27, 6.5 (quarter hours are exact in binary)."""
    return int(value) if value == value.to_integral_value() else float(value)


def plausible_date(value: dt.date) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise serializers.ValidationError(f"Give a date {DATE_RANGE}.")


def date_field(help_text: str, *, validators: Any = (), **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(
        validators=[plausible_date, *validators], help_text=f"{help_text} A date {DATE_RANGE}.",
        **kwargs,
    )  # fmt: skip


class CodeField(serializers.ChoiceField):
    """A code from a list (documented as an enum), taken in any case and trimmed; an unknown
    one is refused with the list, or with `hint` when the list is long."""

    def __init__(self, *, what: str, hint: str = "", choices: Any = (), **kwargs: Any) -> None:
        super().__init__(choices=choices, **kwargs)
        self.what, self.hint = what, hint

    def to_internal_value(self, data: Any) -> str:
        by_upper = {str(code).upper(): code for code in self.choices}  # "LAc" is a code
        code = by_upper.get(data.strip().upper()) if isinstance(data, str) else None
        if code is None:
            hint = self.hint or "one of " + ", ".join(self.choices)
            raise serializers.ValidationError(f'Unknown {self.what} "{data}": {hint}.')
        return code


def profession_field(**kwargs: Any) -> CodeField:
    return CodeField(what="profession", help_text='A profession code such as "PT"; any case.',
                     **kwargs)  # fmt: skip


def profession_codes() -> list[str]:
    """The profession codes, kept with the public pages: a saved profession changes their
    version at once, so a new code is taken on the next request."""
    return versioned("api:profession_codes", _profession_codes_on_file)


def _profession_codes_on_file() -> list[str]:
    return list(Profession.objects.values_list("code", flat=True))


class ProfessionChoicesMixin:
    # Professions are rows (the table is the one list). A view passes the kept codes in the
    # context (`profession_codes()`); without them (the schema) they are read from the table.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = self.context.get("profession_codes")  # type: ignore[attr-defined]
        if codes is None:
            try:
                codes = _profession_codes_on_file()
            except DatabaseError:  # `check --deploy` builds the schema where no table exists
                codes = []
        self.fields["profession"].choices = codes  # type: ignore[attr-defined]


@extend_schema_field({
    "type": "number", "minimum": 0, "maximum": MAX_HOURS, "multipleOf": 0.25,
    "description": "Hours, in quarter hours.",
})  # fmt: skip
class QuarterHoursField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=7, decimal_places=2, min_value=Decimal(0), max_value=Decimal(MAX_HOURS),
            validators=[validate_quarter_hours], **kwargs,
        )  # fmt: skip


class LicenseSerializer(serializers.Serializer):
    issued = date_field("The date the license was issued.")


class HoursSerializer(serializers.Serializer):
    date = date_field("The day the hours were trained.")
    hours = QuarterHoursField()
    in_person = serializers.BooleanField()


def hours_list_field(max_entries: int = MAX_ENTRIES) -> serializers.ListField:
    return serializers.ListField(
        child=HoursSerializer(), max_length=max_entries, default=list,
        error_messages={"max_length": f"At most {max_entries:,} entries."},
    )  # fmt: skip


class LearnerInputMixin:
    """The learner's side of a question, as the evaluate and plans APIs both take it: their
    hours (`hours = hours_list_field()`) and their license (`LicenseSerializer`)."""

    validated_data: dict

    def hours_data(self) -> list[Hours]:
        return [
            Hours(row["date"], row["hours"], row["hours"] if row["in_person"] else Decimal(0))
            for row in self.validated_data["hours"]
        ]

    def license_issued(self) -> dt.date | None:
        license = self.validated_data.get("license")
        return license["issued"] if license else None


class EvaluateRequestSerializer(LearnerInputMixin, ProfessionChoicesMixin, serializers.Serializer):
    jurisdiction = CodeField(
        what="jurisdiction", hint='use a US postal code such as "VA", or "ALL"',
        choices=[*states_and_dc(), ALL],
        help_text='A US postal code such as "VA" (50 states and DC), or "ALL"; any case.',
    )  # fmt: skip
    profession = profession_field()
    as_of = date_field("Defaults to today.", required=False)
    license = LicenseSerializer(required=False, allow_null=True)
    hours = hours_list_field()

    def as_of_date(self) -> dt.date:
        return self.validated_data.get("as_of") or provider_today()


MAX_TARGETS = 10
# A plan evaluates every state at many dates: fewer entries than one evaluation takes keeps
# a public request bounded (a learner's ledger sums to one entry a day; 500 days is plenty).
MAX_PLAN_ENTRIES = 500


def not_in_the_past(value: dt.date) -> None:
    if value < provider_today():
        raise serializers.ValidationError(TARGET_IN_THE_PAST)


class PlanRequestSerializer(LearnerInputMixin, ProfessionChoicesMixin, serializers.Serializer):
    profession = profession_field()
    jurisdictions = serializers.ListField(
        child=CodeField(what="jurisdiction", hint='use a US postal code such as "MD"',
                        choices=list(states_and_dc())),
        min_length=1, max_length=MAX_TARGETS,
        error_messages={"min_length": "Choose at least one state.",
                        "max_length": f"Choose at most {MAX_TARGETS} states."},
        help_text="The states to become eligible in (US postal codes, 50 states and DC).",
    )  # fmt: skip
    target_date = date_field(
        "When you want to be eligible by (optional); from today on.", required=False,
        validators=[not_in_the_past],
    )  # fmt: skip
    license = LicenseSerializer(required=False, allow_null=True)
    hours = hours_list_field(MAX_PLAN_ENTRIES)

    def targets(self) -> list[str]:
        """The states asked for, each once, in the order given."""
        return list(dict.fromkeys(self.validated_data["jurisdictions"]))


class JurisdictionQuerySerializer(ProfessionChoicesMixin, serializers.Serializer):
    profession = profession_field(default="PT")


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


# What the API answers, for its OpenAPI schema: the functions above write these shapes, and
# `make security` (schemathesis) checks every response against them.


class WindowShape(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The day after the window's last day.")


class RowShape(serializers.Serializer):
    label = serializers.CharField()
    code = serializers.ChoiceField(["total_hours", "in_person_hours", "prior_practice_years"])
    required = serializers.FloatField(min_value=0)
    counted = serializers.FloatField()
    missing = serializers.FloatField(min_value=0)
    met = serializers.BooleanField()
    window = WindowShape(allow_null=True)


class CitationShape(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    date = serializers.CharField(allow_blank=True)
    quote = serializers.CharField(allow_blank=True)


class SourceShape(CitationShape):
    effective_date = serializers.DateField(allow_null=True)
    last_reviewed = serializers.DateField(allow_null=True)


class VerdictShape(serializers.Serializer):
    jurisdiction = serializers.CharField()
    name = serializers.CharField()
    profession = serializers.CharField()
    as_of = serializers.DateField()
    status = serializers.ChoiceField([str(status) for status in Status])
    requirements = RowShape(many=True)
    conditions = serializers.ListField(child=serializers.CharField())
    sources = SourceShape(many=True)
    effective_date = serializers.DateField(allow_null=True)
    last_reviewed = serializers.DateField(allow_null=True)


class VerdictListShape(serializers.Serializer):
    results = VerdictShape(many=True)


class MyEligibilityShape(VerdictListShape):
    profession = serializers.CharField(allow_null=True)
    licensed_in = serializers.ListField(child=serializers.CharField())


class RequirementShape(serializers.Serializer):
    label = serializers.CharField()
    min_total_hours = serializers.FloatField(allow_null=True, min_value=0)
    min_in_person_hours = serializers.FloatField(min_value=0)
    window_months = serializers.IntegerField(allow_null=True, min_value=1)
    prior_practice_years = serializers.IntegerField(allow_null=True, min_value=0)


class RuleShape(serializers.Serializer):
    jurisdiction = serializers.CharField()
    name = serializers.CharField()
    profession = serializers.CharField()
    status = serializers.ChoiceField([str(status) for status in RuleStatus])
    requirements = RequirementShape(many=True)
    conditions = serializers.ListField(child=serializers.CharField())
    citations = CitationShape(many=True)
    effective_date = serializers.DateField(allow_null=True)
    last_reviewed = serializers.DateField(allow_null=True)


class RuleListShape(serializers.Serializer):
    results = RuleShape(many=True)


class ErrorShape(serializers.Serializer):
    detail = serializers.CharField()


def api_error(description: str) -> OpenApiResponse:
    """An answer documented as `{"detail": ...}`, the shape of every API error."""
    return OpenApiResponse(ErrorShape, description=description)


BAD_INPUT = api_error("A NUL character (%00) in the address or a query parameter.")
THROTTLED = api_error("Too many requests from this client; `Retry-After` says when to retry.")


class CertificateShape(serializers.Serializer):
    status = serializers.ChoiceField(["valid", "revoked"])
    name = serializers.CharField()
    program = serializers.CharField()
    number = serializers.CharField()
    hours = serializers.FloatField(min_value=0)
    issued_on = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)
    revoked_reason = serializers.CharField(allow_null=True)


class EvidencePackShape(serializers.Serializer):
    status = serializers.ChoiceField(["current", "superseded"])
    changes = serializers.ListField(child=serializers.CharField())
    name = serializers.CharField()
    jurisdiction = serializers.CharField()
    profession = serializers.CharField()
    eligibility = serializers.ChoiceField(
        ["eligible", "eligible_if", "not_yet", "prohibited", "unknown"]
    )
    as_of = serializers.DateField()
    produced_on = serializers.DateField()
    sha256 = serializers.CharField(min_length=64, max_length=64)
    pdf_sha256 = serializers.CharField(min_length=64, max_length=64, allow_null=True)
