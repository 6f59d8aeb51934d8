"""The learner's profile and license forms; every refusal says exactly what is wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from .evidence import evidence_check
from .hours import is_quarter_hours
from .hours_rule import Claim, future_date_problem, in_the_future
from .jurisdictions import (
    UNKNOWN_JURISDICTION,
    jurisdiction_choices,
    jurisdiction_name,
    us_jurisdictions,
)
from .ledger import hours_plausibility_problems
from .models import LearnerProfile, License, OutsideTraining, Profession

EXPIRY_NOT_AFTER_ISSUE = "The expiry date must be after the issue date."
ISSUED_IN_THE_FUTURE = "A license cannot be issued in the future ({date}): check the date."
LICENSE_ALREADY_YOURS = "You have already added this license."
LICENSE_ON_ANOTHER_ACCOUNT = (
    "This license number is already on another account. If it is yours, contact the registrar."
)
PROFESSION_OR_STUDENT = "Choose your profession, or the program you are a final-year student in."
STUDENT_DETAILS_NEEDED = "Students: give your school and expected graduation date."

ENDS_BEFORE_START = "The last day cannot be before the first."
QUARTER_HOURS = "Give hours as a positive multiple of 0.25."
IN_PERSON_ABOVE_TOTAL = "In-person hours cannot exceed the total hours."
ALREADY_SUBMITTED = "You have already submitted this training (same provider, title and dates)."

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.ModelForm):
    profession = forms.ModelChoiceField(
        queryset=Profession.objects.all(), required=False, empty_label="Choose your profession",
        help_text="Final-year students: leave this and choose your program below.",
    )  # fmt: skip
    state = forms.ChoiceField(
        required=False, help_text="The state or territory where you practise.",
        choices=[("", "Choose a state or territory"), *us_jurisdictions().items()],
    )  # fmt: skip

    class Meta:
        model = LearnerProfile
        fields = [
            "legal_name", "profession", "student_program", "school", "expected_graduation",
            "city", "state", "directory_listed", "rule_change_emails",
        ]  # fmt: skip
        widgets = {"expected_graduation": DATE_INPUT}
        labels = {"student_program": "Student program (final year)"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("profession") and not cleaned.get("student_program"):
            raise forms.ValidationError(PROFESSION_OR_STUDENT)
        if cleaned.get("student_program") and not (
            cleaned.get("school") and cleaned.get("expected_graduation")
        ):
            raise forms.ValidationError(STUDENT_DETAILS_NEEDED)
        return cleaned


class LicenseForm(forms.ModelForm):
    jurisdiction = forms.CharField(
        widget=forms.Select(choices=[("", "Choose a state or country"), *jurisdiction_choices()]),
        help_text="Where the license was issued.",
    )

    class Meta:
        model = License
        fields = ["profession", "jurisdiction", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE_INPUT, "expires_on": DATE_INPUT}

    def __init__(self, *args: Any, learner: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learner, self.today = learner, today

    def clean_issued_on(self) -> Any:
        issued = self.cleaned_data["issued_on"]
        if in_the_future(issued, today=self.today):
            raise forms.ValidationError(ISSUED_IN_THE_FUTURE.format(date=f"{issued:%-d %B %Y}"))
        return issued

    def clean_jurisdiction(self) -> str:
        code = self.cleaned_data["jurisdiction"]
        try:
            jurisdiction_name(code)
        except KeyError:
            raise forms.ValidationError(UNKNOWN_JURISDICTION.format(code=code)) from None
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires <= issued:
            self.add_error("expires_on", EXPIRY_NOT_AFTER_ISSUE)
        return cleaned

    def validate_constraints(self) -> None:
        """The database's constraints, checked on otherwise valid input, the unique one in
        words that say whose license it is."""
        if self._errors:
            return
        same = License.objects.filter(
            jurisdiction=self.cleaned_data.get("jurisdiction"),
            profession=self.cleaned_data.get("profession"),
            number=self.cleaned_data.get("number"),
        ).exclude(pk=self.instance.pk)  # a correction keeps its own number
        if owner := same.values_list("learner_id", flat=True).first():
            mine = owner == self.learner.pk
            self.add_error("number", LICENSE_ALREADY_YOURS if mine else LICENSE_ON_ANOTHER_ACCOUNT)
            return
        super().validate_constraints()


class OutsideTrainingForm(forms.ModelForm):
    """Training taken elsewhere, with its certificate of attendance as evidence."""

    class Meta:
        model = OutsideTraining
        fields = ["provider", "title", "started_on", "ended_on", "hours", "in_person_hours",
                  "evidence"]  # fmt: skip
        widgets = {"started_on": DATE_INPUT, "ended_on": DATE_INPUT}
        labels = {"evidence": "Evidence (certificate of completion)"}
        help_texts = {
            "hours": "All hours of the course, in quarter hours (e.g. 16.5).",
            "in_person_hours": "How many of them were hands-on, in person (0 if none).",
            "evidence": "PDF, JPEG or PNG, at most 10 MB.",
        }

    def __init__(self, *args: Any, learner: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learner, self.today = learner, today
        for name in ("hours", "in_person_hours"):
            self.fields[name].widget.attrs.update(step="0.25", min="0")

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data["evidence"]
        self.instance.evidence_type = evidence_check(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        hours, in_person = cleaned.get("hours"), cleaned.get("in_person_hours")
        if started and ended and ended < started:
            self.add_error("ended_on", ENDS_BEFORE_START)
        for name, value in (("hours", hours), ("in_person_hours", in_person)):
            if value is not None and (
                not is_quarter_hours(value) or (name == "hours" and not value)
            ):
                self.add_error(name, QUARTER_HOURS)
        if started and ended and started <= ended:
            self._check_plausible(Claim(started, ended, cleaned.get("hours") or Decimal(0)))
        if hours and in_person is not None and in_person > hours:
            self.add_error("in_person_hours", IN_PERSON_ABOVE_TOTAL)
        if started and ended and cleaned.get("title") and cleaned.get("provider"):
            same = OutsideTraining.objects.filter(
                learner=self.learner, provider__iexact=cleaned["provider"].strip(),
                title__iexact=cleaned["title"].strip(), started_on=started, ended_on=ended,
            ).exclude(status=OutsideTraining.Status.REJECTED)  # fmt: skip
            if same.exists():
                raise forms.ValidationError(ALREADY_SUBMITTED)
        return cleaned

    def _check_plausible(self, claim: Claim) -> None:
        """The plausibility rule beside the learner's ledger: no future date, at most 24
        hours a day."""
        problems = hours_plausibility_problems(
            learner_id=self.learner.pk, new=[claim], today=self.today
        )
        future = future_date_problem(claim.last, today=self.today)
        for problem in problems:
            self.add_error("ended_on" if problem == future else "hours", problem)
