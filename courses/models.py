"""The catalog (DESIGN.md 2): courses, venues, offerings with their days and refund tiers,
and the enrollments that occupy seats.

Offerings are edited with their days and refund tiers in one admin form (modelcluster), so
the rules that span them live in `courses/schedule.py` and run on the whole form.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from accounts.roles import INSTRUCTOR
from config.stamps import SavedStamp
from learners.hours import validate_quarter_hours

from .history import child_history
from .money import format_money
from .registration import Registration, registration_state


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as America/New_York.")


def timezone_choices() -> list[tuple[str, str]]:
    # Computed at run time, not stored in migrations: the tz database changes.
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def _hours_field(verbose_name: str, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=6, decimal_places=2, validators=[validate_quarter_hours], **kwargs
    )


class Course(index.Indexed, ClusterableModel):
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", "Use capital letters, digits and dashes.")],
        help_text="Short code shown everywhere, e.g. DN-1.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two sentences for listings and search results.")
    contact_hours = _hours_field("contact hours")
    in_person_hours = _hours_field("in-person hours")
    price_cents = models.PositiveIntegerField("price (cents)", help_text="89500 is $895.00.")
    currency = models.CharField(
        max_length=3,
        default="usd",
        validators=[RegexValidator(r"^[a-z]{3}$", "Use a three-letter ISO code in lower case.")],
    )
    professions_admitted = ParentalManyToManyField("learners.Profession", related_name="courses")
    pass_mark = models.PositiveSmallIntegerField(
        "written exam pass mark",
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="The written score (0-100) a learner needs to complete the course.",
    )
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text="Courses a learner must have completed before enrolling.",
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("title")]),
        FieldPanel("summary"),
        FieldRowPanel(
            [FieldPanel("contact_hours"), FieldPanel("in_person_hours")], heading="Hours"
        ),
        FieldRowPanel([FieldPanel("price_cents"), FieldPanel("currency")], heading="Price"),
        FieldPanel("pass_mark"),
        FieldPanel("professions_admitted", widget=forms.CheckboxSelectMultiple),
        FieldPanel("prerequisites"),
        InlinePanel("ceu_approvals", heading="CEU approvals", label="CEU approval"),
    ]
    search_fields: ClassVar[list] = [
        index.SearchField("code"),
        index.SearchField("title"),
        index.AutocompleteField("title"),
    ]

    history = HistoricalRecords()  # every change kept: who, when, previous values

    class Meta:
        ordering = ["code"]
        constraints: ClassVar[list] = [
            models.CheckConstraint(
                condition=models.Q(in_person_hours__lte=models.F("contact_hours")),
                name="course_in_person_within_contact_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def price_display(self) -> str:
        return format_money(self.price_cents, self.currency)

    def clean(self) -> None:
        if (
            self.in_person_hours is not None
            and self.contact_hours is not None
            and self.in_person_hours > self.contact_hours
        ):
            raise ValidationError(
                {"in_person_hours": "In-person hours cannot exceed the contact hours."}
            )


class CEUApproval(Orderable):
    """A continuing-education approval of a course by a board or association."""

    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="ceu_approvals")
    approving_body = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=60, help_text="State or country, e.g. VA.")
    approval_number = models.CharField(max_length=100)
    hours = _hours_field("CEU hours")

    history = child_history("course")

    class Meta(Orderable.Meta):
        verbose_name = "CEU approval"

    def __str__(self) -> str:
        return f"{self.approving_body} ({self.jurisdiction}) {self.approval_number}"


class Venue(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    city = models.CharField(max_length=100)
    region = models.CharField("state / region", max_length=100, help_text="e.g. VA")
    country = models.CharField(max_length=2, default="US", help_text="ISO code, e.g. US.")
    postal_code = models.CharField(max_length=20)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])

    panels: ClassVar[list] = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("region"), FieldPanel("postal_code")]),
        FieldRowPanel(
            [
                FieldPanel("country"),
                FieldPanel("timezone", widget=forms.Select(choices=timezone_choices)),
            ]
        ),
    ]
    search_fields: ClassVar[list] = [
        index.SearchField("name"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("region"),
    ]

    history = HistoricalRecords()  # every change kept: who, when, previous values

    class Meta:
        ordering = ["region", "city", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}, {self.region}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def one_line_address(self) -> str:
        return f"{self.address}, {self.city}, {self.region} {self.postal_code}, {self.country}"


class Offering(index.Indexed, ClusterableModel):
    """One scheduled run of a course."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for registration"
        CLOSED = "closed", "Registration closed"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="offerings")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="offerings")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="offerings_taught",
        limit_choices_to={"groups__name": INSTRUCTOR},
    )
    registration_opens_at = models.DateTimeField()
    registration_closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    hours_reason = models.TextField(
        blank=True,
        help_text="Only when the days' hours do not add up to the course's contact hours: why.",
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("course"), FieldPanel("venue")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("capacity")]),
        FieldPanel("instructors", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel(
            [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")],
            heading="Registration",
        ),
        InlinePanel("days", heading="Course days", label="Day", min_num=1),
        FieldPanel("hours_reason"),
        MultiFieldPanel(
            [InlinePanel("refund_tiers", label="Refund tier")],
            heading="Refund policy",
            help_text=(
                "Each tier: cancelling at least N days before the first day returns P%. "
                "Leave empty for the standard policy (100% at 28+ days, 50% at 14+ days, "
                "then nothing)."
            ),
        ),
    ]
    search_fields: ClassVar[list] = [
        index.FilterField("status"),
        index.AutocompleteField("status"),
        index.RelatedFields(
            "course", [index.SearchField("code"), index.AutocompleteField("title")]
        ),
        index.RelatedFields(
            "venue",
            [
                index.AutocompleteField("city"),
                index.SearchField("name"),
                index.SearchField("region"),
            ],
        ),
    ]

    history = HistoricalRecords()  # every change kept: who, when, previous values

    class Meta:
        ordering = ["pk"]
        constraints: ClassVar[list] = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="offering_capacity_1"),
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__lt=models.F("registration_closes_at")),
                name="offering_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        dates = self.dates
        when = f"{dates[0]:%-d %b %Y}" if dates else "no days yet"
        return f"{self.course.code} · {self.venue.city}, {self.venue.region} · {when}"

    @property
    def dates(self) -> list[dt.date]:
        """The offering's dates in order; uses prefetched days when there are any."""
        return sorted(day.date for day in self.days.all())

    def registration_state(self, now: dt.datetime | None = None) -> Registration:
        """Whether it takes enrollments now, by status, registration window and dates."""
        dates = self.dates
        return registration_state(
            status=self.status, opens_at=self.registration_opens_at,
            closes_at=self.registration_closes_at, first_day=dates[0] if dates else None,
            last_day=dates[-1] if dates else None, now=now or timezone.now(), tz=self.venue.tz,
        )  # fmt: skip

    @property
    def is_open(self) -> bool:
        """Taking enrollments now (the gate then judges the learner)."""
        return self.registration_state().is_open

    def venue_date(self, now: dt.datetime) -> dt.date:
        """The date at the venue at that moment: the calendar its course days are in."""
        return now.astimezone(self.venue.tz).date()

    def has_started(self, now: dt.datetime) -> bool:
        """Its first day has come, in the venue's calendar."""
        dates = self.dates
        return bool(dates) and dates[0] <= self.venue_date(now)


class CourseDay(Orderable):
    """One day of an offering, with times in the venue's timezone."""

    offering = ParentalKey(Offering, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    scheduled_hours = _hours_field("scheduled in-person hours")

    panels: ClassVar[list] = [
        FieldRowPanel(
            [
                FieldPanel("date"),
                FieldPanel("start_time"),
                FieldPanel("end_time"),
                FieldPanel("scheduled_hours"),
            ]
        )
    ]

    history = child_history("offering")

    class Meta(Orderable.Meta):
        ordering = ["date"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["offering", "date"], name="course_day_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %-d %b %Y} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def starts_at(self, tz: dt.tzinfo) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=tz)

    def ends_at(self, tz: dt.tzinfo) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=tz)


class RefundTier(Orderable):
    """Cancelling at least `days_before_start` days before the first day returns `percent`."""

    offering = ParentalKey(Offering, on_delete=models.CASCADE, related_name="refund_tiers")
    days_before_start = models.PositiveIntegerField()
    percent = models.PositiveIntegerField(validators=[MaxValueValidator(100)])

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("days_before_start"), FieldPanel("percent")])
    ]

    history = child_history("offering")

    class Meta(Orderable.Meta):
        ordering = ["-days_before_start"]

    def __str__(self) -> str:
        return f"{self.percent}% back at least {self.days_before_start} days before"


class Enrollment(SavedStamp):
    """A learner's place in an offering (DESIGN.md 2): what counts seats, what payments
    pay for and what attendance is recorded against."""

    class Status(models.TextChoices):
        HELD = "held", "Seat held"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        OFFERED = "offered", "Seat offered"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"
        COMPLETED = "completed", "Completed"
        INCOMPLETE = "incomplete", "Incomplete"

    SEAT_STATUSES = (Status.CONFIRMED, Status.COMPLETED, Status.INCOMPLETE)
    HOLD_STATUSES = (Status.HELD, Status.OFFERED)

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=12, choices=Status.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to",
        help_text="The seat this one replaced; its payment paid for this one.",
    )  # fmt: skip
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="The registrar who offered, gave or moved this seat.",
    )  # fmt: skip
    arrangement = models.TextField(blank=True, help_text="What the registrar did, and why.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes: ClassVar[list] = [models.Index(fields=["offering", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.offering} · {self.get_status_display()}"

    @property
    def is_hold(self) -> bool:
        """A seat kept for the learner until `hold_expires_at` while they pay."""
        return self.status in self.HOLD_STATUSES


def _new_key() -> str:
    return uuid.uuid4().hex


class Payment(models.Model):
    """One Stripe PaymentIntent for one enrollment's checkout (DESIGN.md 2). Stripe's answer
    moves it from pending to succeeded or failed; a payment that cannot become a seat is
    flagged for staff, never dropped."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        REQUIRES_ACTION = "requires_action", "Awaiting card authentication"
        SUCCEEDED = "succeeded", "Paid"
        FAILED = "failed", "Failed"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # NULL until the intent exists; unique once set (an empty string would collide).
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True)  # noqa: DJ001
    # Committed before Stripe is called, with the card the attempt was made with, so a
    # retry repeats the very same requests and Stripe answers with the first intent.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False, default=_new_key
    )
    card_id = models.CharField(max_length=255, blank=True, editable=False)
    stripe_charge_id = models.CharField(max_length=255, blank=True)
    failure_message = models.TextField(blank=True)
    attention_reason = models.TextField(
        blank=True, help_text="Why staff must decide what happens to this payment."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decision = models.TextField(blank=True, help_text="What a registrar decided, and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{format_money(self.amount_cents, self.currency)} · {self.get_status_display()}"


class StripeEvent(models.Model):
    """Each webhook event once: a repeated delivery finds its row and does nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Refund(models.Model):
    """Money going back to a learner: a new row each time, never an edit of the payment."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        CANCELLATION = "cancellation", "Learner cancelled"
        OVERRIDE = "override", "Registrar refund"
        MOVE = "move", "Price difference on a move"
        OFFERING = "offering", "Offering cancelled"
        EXTERNAL = "external", "Refunded in Stripe's dashboard"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=12, choices=Source.choices)
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # NULL until Stripe has the refund; unique once set.
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True)  # noqa: DJ001
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{format_money(self.amount_cents, self.currency)} · {self.get_status_display()}"


class EnrollmentReminder(models.Model):
    """A reminder email sent for an enrollment, so each goes out once."""

    class Kind(models.TextChoices):
        WEEK = "7_days", "7 days before"
        DAY = "1_day", "1 day before"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["enrollment", "kind"], name="one_reminder_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enrollment}"


class Attendance(models.Model):
    """That an instructor recorded a learner on a course day. The hours themselves live in
    the ledger (learners.HoursEntry); a learner recorded with none was absent."""

    course_day = models.ForeignKey(CourseDay, on_delete=models.PROTECT, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="attendance")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["course_day", "enrollment"], name="attendance_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.learner} on {self.course_day}"


class DaySignOff(models.Model):
    """An instructor's sign-off of a course day: from then on changes need a reason."""

    course_day = models.OneToOneField(CourseDay, on_delete=models.PROTECT, related_name="sign_off")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.course_day} signed off by {self.signed_off_by}"


class AssessmentResult(models.Model):
    """A recording of an enrollment's assessments (DESIGN.md 2). Each recording is a new row;
    the latest is the result, earlier ones stay as the history."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="assessment_results"
    )
    written_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    practical_passed = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "-recorded_at", "-pk"]
        constraints: ClassVar[list] = [
            models.CheckConstraint(
                condition=models.Q(written_score__lte=100), name="assessment_score_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: written {self.written_score}, practical {self.practical_passed}"


class RosterSyncMark(models.Model):
    """A mark made on an instructor's phone (issue 19), by the id the phone gave it, stored
    once it is applied: the same mark sent again is recognised, never applied twice. The row
    is written in the same transaction as what the mark changed, and never changed after."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance"
        ASSESSMENT = "assessment", "Assessment"
        CHECKIN = "checkin", "Check-in"

    client_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="+")
    course_day = models.ForeignKey(
        CourseDay, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id}"
