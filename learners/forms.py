"""The learner's profile and license forms; every refusal says exactly what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms

from .jurisdictions import UNKNOWN_JURISDICTION, jurisdiction_choices, jurisdiction_name
from .models import LearnerProfile, License, Profession

EXPIRY_NOT_AFTER_ISSUE = "The expiry date must be after the issue date."
LICENSE_ALREADY_YOURS = "You have already added this license."
LICENSE_ON_ANOTHER_ACCOUNT = (
    "This license number is already on another account. If it is yours, contact the registrar."
)
PROFESSION_OR_STUDENT = "Choose your profession, or the program you are a final-year student in."
STUDENT_DETAILS_NEEDED = "Students: give your school and expected graduation date."

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.ModelForm):
    profession = forms.ModelChoiceField(
        queryset=Profession.objects.all(), required=False, empty_label="— I am a student —"
    )

    class Meta:
        model = LearnerProfile
        fields = ["legal_name", "profession", "student_program", "school", "expected_graduation"]
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

    def __init__(self, *args: Any, learner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learner = learner

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
        )
        if owner := same.values_list("learner_id", flat=True).first():
            mine = owner == self.learner.pk
            self.add_error("number", LICENSE_ALREADY_YOURS if mine else LICENSE_ON_ANOTHER_ACCOUNT)
            return
        super().validate_constraints()
