"""The public offerings filter (GET): course, state, month."""

from __future__ import annotations

from django import forms

from .models import Course, Venue


class OfferingFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=Course.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="All courses",
    )
    state = forms.ChoiceField(required=False)
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="Offerings starting in this month.",
        error_messages={"invalid": "Enter a month as YYYY-MM, e.g. 2027-03."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        regions = Venue.objects.filter(offerings__isnull=False).values_list("region", flat=True)
        self.fields["state"].choices = [("", "All states")] + [
            (region, region) for region in sorted(set(regions))
        ]
