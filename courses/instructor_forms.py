"""The instructor's whole-class forms: a day's attendance and the assessment results. Each
learner's fields are named after their enrollment; posted enrollments that are not on the
roster are refused, not ignored, and learners whose fields were not posted are left as
they are."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from config.errors import error_on_form

from .models import Enrollment
from .roster import Mark, MarkError, hours_for_mark
from .selectors import ClassRow, learner_display_name
from .services.assessments import Result
from .services.roster import RosterLine, not_on_roster_message


class _ClassForm(forms.Form):
    field_pattern = re.compile(r"^(?:mark|hours|written|practical)_([0-9]+)$")

    def __init__(
        self, *args: object, offering_id: int, enrollments: list[Enrollment], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offering_id, self.enrollments = offering_id, enrollments

    def posted_ids(self) -> set[int]:
        """The enrollments the post has fields for."""
        matches = (self.field_pattern.match(key) for key in self.data)
        return {int(match[1]) for match in matches if match}

    def refuse_strangers(self) -> None:
        """A posted enrollment that is not on this roster (cancelled, another offering)."""
        if strangers := self.posted_ids() - {e.pk for e in self.enrollments}:
            raise forms.ValidationError(not_on_roster_message(self.offering_id, strangers))


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
        posted = self.posted_ids()
        for line in lines:
            pk = line.enrollment.pk
            # A learner the post does not mention keeps what they have.
            self.fields[f"mark_{pk}"] = forms.ChoiceField(
                label="Attendance", choices=Mark.choices, initial=line.mark,
                widget=forms.RadioSelect, required=not self.is_bound or pk in posted,
            )  # fmt: skip
            # The range is hours_for_mark's rule, said once in its words (not the field's too).
            self.fields[f"hours_{pk}"] = forms.DecimalField(
                label="Hours if partial", required=False, decimal_places=2,
                initial=line.hours if line.mark == Mark.PARTIAL else None,
                widget=forms.NumberInput(attrs={
                    "step": "0.25", "inputmode": "decimal", "min": 0, "max": scheduled,
                }),
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
        posted = self.posted_ids()
        for line, _name in self.rows:
            pk = line.enrollment.pk
            # Hours that are not a number already have their message: no second one.
            if pk not in posted or not cleaned.get(f"mark_{pk}") or f"hours_{pk}" in self.errors:
                continue
            try:
                self.hours[pk] = hours_for_mark(
                    Mark(cleaned[f"mark_{pk}"]), cleaned.get(f"hours_{pk}"),
                    scheduled=self.scheduled,
                )  # fmt: skip
            except MarkError as error:
                error_on_form(self, error, f"hours_{pk}")
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
        self.results = {}
        posted = self.posted_ids()
        for row in self.rows:
            pk = row.enrollment.pk
            if pk not in posted:
                continue
            # A field left out of the post keeps the learner's current result.
            current = row.result or Result(None, None)
            written, practical = f"written_{pk}", f"practical_{pk}"
            self.results[pk] = Result(
                cleaned.get(written) if written in self.data else current.written_score,
                PRACTICAL_VALUES[cleaned.get(practical, "")]
                if practical in self.data
                else current.practical_passed,
            )
        return cleaned
