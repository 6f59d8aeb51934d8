"""The offering admin form: runs the schedule and refund rules over the offering together
with its days and tiers, so nothing is saved unless all of it holds."""

from __future__ import annotations

from typing import Any

from django.forms import BaseFormSet
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.roles import INSTRUCTOR

from .models import Enrollment, Offering
from .refunds import Tier, refund_tier_errors
from .schedule import DayPlan, OfferingPlan, offering_plan_errors
from .services.offering_cancellation import LIVE

CANCEL_ON_SEATS_PAGE = (
    "Learners hold places in this offering: cancel it from its Seats page, which refunds "
    "them and tells them why."
)


def _kept_rows(formset: BaseFormSet) -> list[dict[str, Any]]:
    """The rows a valid formset will save (those not marked for deletion)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class OfferingAdminForm(WagtailAdminModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        days, tiers = self.formsets["days"], self.formsets["refund_tiers"]
        # A formset's own errors (a missing field, a date listed twice) show on its rows.
        if days.is_valid() and cleaned.get("course") and cleaned.get("venue"):
            self._check_plan(cleaned, _kept_rows(days))
        if self._cancels_with_learners(cleaned):
            self.add_error("status", CANCEL_ON_SEATS_PAGE)
        if tiers.is_valid():
            rows = _kept_rows(tiers)
            for message in refund_tier_errors(
                [Tier(row["days_before_start"], row["percent"]) for row in rows]
            ):
                self.add_error(None, message)
        return cleaned

    def _cancels_with_learners(self, cleaned: dict[str, Any]) -> bool:
        if cleaned.get("status") != Offering.Status.CANCELLED or not self.instance.pk:
            return False
        saved = Offering.objects.get(pk=self.instance.pk)
        return (
            saved.status != Offering.Status.CANCELLED
            and saved.enrollments.filter(status__in=LIVE).exists()
        )

    def _check_plan(self, cleaned: dict[str, Any], day_rows: list[dict[str, Any]]) -> None:
        if not (cleaned.get("registration_opens_at") and cleaned.get("registration_closes_at")):
            return
        saved = Offering.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        instructors = cleaned.get("instructors") or []
        plan = OfferingPlan(
            course_code=cleaned["course"].code,
            contact_hours=cleaned["course"].contact_hours,
            days=[
                DayPlan(r["date"], r["start_time"], r["end_time"], r["scheduled_hours"])
                for r in day_rows
            ],
            capacity=cleaned.get("capacity") or 0,
            registration_opens_at=cleaned["registration_opens_at"],
            registration_closes_at=cleaned["registration_closes_at"],
            timezone=cleaned["venue"].tz,
            hours_reason=cleaned.get("hours_reason", ""),
            non_instructors=[
                str(user) for user in instructors if not user.groups.filter(name=INSTRUCTOR)
            ],
            was_open=bool(saved and saved.status == Offering.Status.OPEN),
            saved_dates=frozenset(saved.days.values_list("date", flat=True))
            if saved
            else frozenset(),
            confirmed_seats=(
                saved.enrollments.filter(status__in=Enrollment.SEAT_STATUSES).count()
                if saved
                else 0
            ),
        )
        for field, messages in offering_plan_errors(plan).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
