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
from learners.models import Profession

from .windows import Hours

ROWS = 6
QUICK_PICKS = {"dn1": ("DN-1",), "both": ("DN-1", "DN-2")}
ROW_INCOMPLETE = "Give the date and the hours of this row, or leave both empty."
NO_ROWS = "Add at least one row of hours, or choose one of the courses above."


class CalculatorForm(forms.Form):
    profession = forms.ModelChoiceField(
        queryset=Profession.objects.all(), to_field_name="code", empty_label=None,
        initial="PT",
    )  # fmt: skip
    hours_from = forms.ChoiceField(
        label="Your training",
        choices=[("dn1", "DN-1 only (27 hours in person)"),
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

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"row{n}_date"], self[f"row{n}_hours"], self[f"row{n}_in_person"])
            for n in range(ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
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
            courses = Course.objects.filter(code__in=QUICK_PICKS[choice])
            return [Hours(as_of, c.contact_hours, c.in_person_hours) for c in courses]
        data, rows = self.cleaned_data, []
        for n in range(ROWS):
            date, hours = data.get(f"row{n}_date"), data.get(f"row{n}_hours")
            if date is not None and hours is not None:
                in_person = hours if data.get(f"row{n}_in_person") else Decimal(0)
                rows.append(Hours(date, hours, in_person))
        return rows
