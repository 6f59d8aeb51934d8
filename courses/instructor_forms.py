"""The instructor's whole-class forms: a day's attendance and the assessment results. Each
learner's fields are named after their enrollment; posted enrollments that are not on the
roster are refused, not ignored."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from .models import Enrollment
from .roster import Mark, MarkError, hours_for_mark
from .selectors import ClassRow, learner_display_name
from .services.assessments import Result
from .services.roster import NOT_ON_ROSTER, RosterLine


class _ClassForm(forms.Form):
    field_pattern = re.compile(r"^(?:mark|written|practical)_(\d+)$")

    def __init__(self, *args: object, enrollments: list[Enrollment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments

    def refuse_strangers(self) -> None:
        """A posted enrollment that is not on this roster (cancelled, another offering)."""
        on_roster = {e.pk for e in self.enrollments}
        for key in self.data:
            match = self.field_pattern.match(key)
            if match and int(match[1]) not in on_roster:
                who = Enrollment.objects.filter(pk=match[1]).select_related("learner").first()
                raise forms.ValidationError(
                    NOT_ON_ROSTER.format(who=who.learner if who else "That learner")
                )


class AttendanceForm(_ClassForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed once the day is signed off: why do these hours change?",
    )

    def __init__(
        self, *args: object, lines: list[RosterLine], scheduled: Decimal, **kwargs: object
    ) -> None:
        super().__init__(*args, enrollments=[line.enrollment for line in lines], **kwargs)
        self.scheduled = scheduled
        self.rows = []
        for line in lines:
            pk = line.enrollment.pk
            self.fields[f"mark_{pk}"] = forms.ChoiceField(
                label="Attendance", choices=Mark.choices, initial=line.mark,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"hours_{pk}"] = forms.DecimalField(
                label="Hours if partial", required=False, min_value=0, max_value=scheduled,
                decimal_places=2, initial=line.hours if line.mark == Mark.PARTIAL else None,
                widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
            )  # fmt: skip
            self.rows.append((line, learner_display_name(line.enrollment.learner)))

    def bound_rows(self) -> list[tuple[RosterLine, str, forms.BoundField, forms.BoundField]]:
        return [
            (line, name, self[f"mark_{line.enrollment.pk}"], self[f"hours_{line.enrollment.pk}"])
            for line, name in self.rows
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.refuse_strangers()
        self.hours: dict[int, Decimal] = {}
        for line, _name in self.rows:
            pk = line.enrollment.pk
            if f"mark_{pk}" not in cleaned:
                continue
            try:
                self.hours[pk] = hours_for_mark(
                    Mark(cleaned[f"mark_{pk}"]), cleaned.get(f"hours_{pk}"),
                    scheduled=self.scheduled,
                )  # fmt: skip
            except MarkError as error:
                self.add_error(f"hours_{pk}", str(error))
        return cleaned


PRACTICAL_CHOICES = [("", "Not yet"), ("pass", "Pass"), ("fail", "Fail")]
PRACTICAL_VALUES = {"": None, "pass": True, "fail": False}


class AssessmentForm(_ClassForm):
    def __init__(self, *args: object, rows: list[ClassRow], **kwargs: object) -> None:
        super().__init__(*args, enrollments=[row.enrollment for row in rows], **kwargs)
        self.rows = rows
        for row in rows:
            pk, result = row.enrollment.pk, row.result
            self.fields[f"written_{pk}"] = forms.IntegerField(
                label="Written score", required=False, min_value=0, max_value=100,
                initial=result.written_score if result else None,
            )  # fmt: skip
            practical = {True: "pass", False: "fail", None: ""}[
                result.practical_passed if result else None
            ]
            self.fields[f"practical_{pk}"] = forms.ChoiceField(
                label="Practical", required=False, choices=PRACTICAL_CHOICES, initial=practical
            )

    def bound_rows(self) -> list[tuple[ClassRow, forms.BoundField, forms.BoundField]]:
        return [
            (row, self[f"written_{row.enrollment.pk}"], self[f"practical_{row.enrollment.pk}"])
            for row in self.rows
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.refuse_strangers()
        self.results = {
            e.pk: Result(
                cleaned.get(f"written_{e.pk}"),
                PRACTICAL_VALUES[cleaned.get(f"practical_{e.pk}", "")],
            )
            for e in self.enrollments
            if f"written_{e.pk}" in cleaned
        }
        return cleaned
