"""The public calculator's form (GET: nothing is stored): a profession, the hours as a quick
pick or as rows, and optionally the license's issue date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from courses.models import Course
from learners.forms import DATE_INPUT
from learners.hours import QUARTER_HOURS_ERROR, is_quarter_hours
from learners.hours_rule import future_date_problem
from learners.jurisdictions import states_and_dc
from learners.models import Profession

from .planner import TARGET_IN_THE_PAST
from .windows import Hours

ROWS = 6
QUICK_PICKS = {"none": (), "dn1": ("DN-1",), "both": ("DN-1", "DN-2")}
MAX_PLAN_STATES = 10
TOO_MANY_STATES = f"Choose at most {MAX_PLAN_STATES} states to plan for."

ROW_INCOMPLETE = "Give the date and the hours of this row, or leave both empty."
NO_ROWS = "Add at least one row of hours, or choose one of the courses above."


class CalculatorForm(forms.Form):
    profession = forms.ModelChoiceField(
        queryset=Profession.objects.all(), to_field_name="code", empty_label=None,
        initial="PT",
    )  # fmt: skip
    hours_from = forms.ChoiceField(
        label="Your training",
        choices=[("none", "None yet"),
                 ("dn1", "DN-1 only (27 hours in person)"),
                 ("both", "DN-1 and DN-2 (54 hours in person)"),
                 ("rows", "My own hours (enter them below)")],
        widget=forms.RadioSelect, initial="both",
    )  # fmt: skip
    license_issued = forms.DateField(
        required=False, label="License issued (optional)", widget=DATE_INPUT,
        help_text="Some states ask for years of practice first.",
    )  # fmt: skip

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for n in range(ROWS):
            self.fields[f"row{n}_date"] = forms.DateField(
                required=False, label=f"Date, row {n + 1}", widget=DATE_INPUT
            )
            self.fields[f"row{n}_hours"] = forms.DecimalField(
                required=False, label=f"Hours, row {n + 1}", min_value=Decimal(0),
                max_value=Decimal(1000), decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
            )  # fmt: skip
            self.fields[f"row{n}_in_person"] = forms.BooleanField(
                required=False, label=f"In person, row {n + 1}", initial=True
            )

        self.fields.update(plan_fields(today=today))

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"row{n}_date"], self[f"row{n}_hours"], self[f"row{n}_in_person"])
            for n in range(ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        clean_plan_fields(self, cleaned)
        if cleaned.get("hours_from") != "rows":
            return cleaned
        filled = 0
        for n in range(ROWS):
            date, hours = cleaned.get(f"row{n}_date"), cleaned.get(f"row{n}_hours")
            if f"row{n}_date" in self.errors or f"row{n}_hours" in self.errors:
                continue
            if (date is None) != (hours is None):
                missing = f"row{n}_hours" if hours is None else f"row{n}_date"
                self.add_error(missing, ROW_INCOMPLETE)
            elif hours is not None and not is_quarter_hours(hours):
                self.add_error(f"row{n}_hours", QUARTER_HOURS_ERROR)
            elif date is not None and (future := future_date_problem(date, today=self.today)):
                self.add_error(f"row{n}_date", future)  # it would silently count for nothing
            elif hours is not None:
                filled += 1
        if not filled and not self.errors:
            raise forms.ValidationError(NO_ROWS)
        return cleaned

    def hours(self, *, as_of: dt.date) -> list[Hours]:
        """The hours to measure: the chosen courses' hours dated as of today, or the rows."""
        choice = self.cleaned_data["hours_from"]
        if choice in QUICK_PICKS:
            if not QUICK_PICKS[choice]:
                return []
            courses = Course.objects.filter(code__in=QUICK_PICKS[choice])
            return [Hours(as_of, c.contact_hours, c.in_person_hours) for c in courses]
        data, rows = self.cleaned_data, []
        for n in range(ROWS):
            date, hours = data.get(f"row{n}_date"), data.get(f"row{n}_hours")
            if date is not None and hours is not None:
                in_person = hours if data.get(f"row{n}_in_person") else Decimal(0)
                rows.append(Hours(date, hours, in_person))
        return rows


def plan_fields(*, today: dt.date, initial_states: list[str] | None = None) -> dict:
    """The planner's questions (issue 18): which states, and by when (both optional)."""
    return {
        "states": forms.MultipleChoiceField(
            required=False, label="Plan my courses for these states",
            choices=list(states_and_dc().items()), widget=forms.CheckboxSelectMultiple,
            initial=initial_states or [],
            help_text=f"Up to {MAX_PLAN_STATES}: we find the courses to book for all of them.",
        ),
        "target_date": forms.DateField(
            required=False, label="Eligible by (optional)", widget=DATE_INPUT,
            help_text="The date you want to dry needle there by.",
        ),
    }  # fmt: skip


def clean_plan_fields(form: forms.Form, cleaned: dict[str, Any]) -> None:
    if len(cleaned.get("states") or ()) > MAX_PLAN_STATES:
        form.add_error("states", TOO_MANY_STATES)
    target = cleaned.get("target_date")
    if target is not None and target < form.today:  # type: ignore[attr-defined]
        form.add_error("target_date", TARGET_IN_THE_PAST)


class PlanForm(forms.Form):
    """The learner's planner (GET: nothing is stored): states, their licensed ones first."""

    def __init__(self, *args: Any, today: dt.date, licensed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields.update(plan_fields(today=today, initial_states=licensed))
        names = states_and_dc()
        ordered = [*licensed, *(code for code in names if code not in licensed)]
        self.fields["states"].choices = [(code, names[code]) for code in ordered]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        clean_plan_fields(self, cleaned)
        return cleaned
