"""Learners (DESIGN.md 2): professions, profiles, licenses, outside training and the
append-only training-hours ledger."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from config.stamps import SavedStamp

from .hours import format_hours


class Profession(models.Model):
    """A licensed profession a course may admit (PT, PTA, ATC, DC, MD, DO, ...)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LearnerProfile(SavedStamp):
    """Who the learner is on their certificates, and what they may enroll as (DESIGN.md 3.3):
    a licensed professional, or a final-year DPT, DC or MD student."""

    class StudentProgram(models.TextChoices):
        DPT = "DPT", "Doctor of Physical Therapy (DPT)"
        DC = "DC", "Doctor of Chiropractic (DC)"
        MD = "MD", "Doctor of Medicine (MD)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    legal_name = models.CharField(
        max_length=200, help_text="Exactly as it should appear on your certificates."
    )
    profession = models.ForeignKey(
        Profession, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    student_program = models.CharField(max_length=3, choices=StudentProgram.choices, blank=True)
    school = models.CharField(max_length=200, blank=True)
    expected_graduation = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True, help_text="Where you practise.")
    state = models.CharField("state", max_length=2, blank=True, help_text="e.g. VA")
    directory_listed = models.BooleanField(
        "list me in the public directory of certified practitioners", default=False,
        help_text="Your name, profession, city and state, once certified. Off unless you say so.",
    )  # fmt: skip
    rule_change_emails = models.BooleanField(
        "email me when a state rule change changes my standing", default=True,
        help_text="The notice on your dashboard is shown either way.",
    )  # fmt: skip

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_student(self) -> bool:
        return bool(self.student_program)

    @property
    def is_complete(self) -> bool:
        """A legal name, and either a profession or a student program with its school and
        expected graduation date."""
        student_done = self.is_student and bool(self.school and self.expected_graduation)
        return bool(self.legal_name) and (self.profession_id is not None or student_done)


class License(SavedStamp):
    """A license to practise, learner x jurisdiction x profession (DESIGN.md 2); verified
    by a registrar before it counts."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licenses"
    )
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.CharField(max_length=20)
    number = models.CharField("license number", max_length=50)
    issued_on = models.DateField("issued")
    expires_on = models.DateField("expires")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNVERIFIED)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["jurisdiction", "profession__code"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["jurisdiction", "profession", "number"], name="license_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="license_expires_after_issue",
            ),
        ]
        # The registrars' home counts licenses awaiting review and those expiring soon
        # (operations/selectors.py work_queues): without it, a scan of every license.
        indexes: ClassVar[list] = [
            models.Index(fields=["status", "expires_on"], name="license_status_expiry")
        ]

    def __str__(self) -> str:
        return f"{self.profession.code} license {self.number} ({self.jurisdiction})"

    @property
    def learner_may_change(self) -> bool:
        """Until a registrar has reviewed it, the learner may correct or withdraw it."""
        return self.status == self.Status.UNVERIFIED


class OutsideTraining(SavedStamp):
    """Training a learner took elsewhere, with its evidence; its hours enter the ledger only
    once a registrar verifies it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outside_training"
    )
    provider = models.CharField(max_length=200)
    title = models.CharField("course title", max_length=200)
    started_on = models.DateField("first day")
    ended_on = models.DateField("last day")
    hours = models.DecimalField("total hours", max_digits=6, decimal_places=2)
    in_person_hours = models.DecimalField(max_digits=6, decimal_places=2)
    evidence = models.FileField(upload_to="evidence/%Y/%m/")
    evidence_type = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "outside training"
        constraints: ClassVar[list] = [
            models.CheckConstraint(
                condition=models.Q(ended_on__gte=models.F("started_on")),
                name="outside_training_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(in_person_hours__gte=0, hours__gt=0)
                & models.Q(in_person_hours__lte=models.F("hours")),
                name="outside_training_hours_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.provider}), {format_hours(self.hours)} h"

    @property
    def awaiting_review(self) -> bool:
        """Submitted and not yet decided: the one state a registrar may verify or reject."""
        return self.status == self.Status.SUBMITTED


class LedgerImmutableError(Exception):
    """An hours entry was about to be changed or deleted: corrections are new entries."""


class HoursEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise LedgerImmutableError("Hours entries are never updated: record a correction.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerImmutableError("Hours entries are never deleted: record a correction.")


class HoursEntry(models.Model):
    """One line of the training-hours ledger (DESIGN.md 2). Append-only: the model refuses
    updates and deletes, and on PostgreSQL a trigger does too. A correction is a new entry
    that points at the one it corrects, with a reason; totals are always summed."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Source(models.TextChoices):
        COURSE_DAY = "course_day", "Course day"
        OUTSIDE = "outside", "Verified outside training"
        CORRECTION = "correction", "Correction"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries"
    )
    date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    course_day = models.ForeignKey(
        "courses.CourseDay", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outside_training = models.ForeignKey(
        OutsideTraining, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        indexes: ClassVar[list] = [models.Index(fields=["learner", "date"])]
        constraints: ClassVar[list] = [
            models.CheckConstraint(condition=~models.Q(hours=0), name="hours_entry_not_zero"),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True, hours__gt=0)
                | models.Q(corrects__isnull=False, source="correction"),
                name="hours_entry_negative_only_as_correction",
            ),
            # One original entry per learner and course day: a roster saved twice, or from
            # two tabs at once, cannot count a day twice; changes are corrections.
            models.UniqueConstraint(
                fields=["learner", "course_day"],
                condition=models.Q(source="course_day"),
                name="hours_entry_one_per_course_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours} h {self.get_mode_display()} ({self.get_source_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise LedgerImmutableError("Hours entries are never updated: record a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise LedgerImmutableError("Hours entries are never deleted: record a correction.")


class LicenseExpiryReminder(models.Model):
    """That a license's holder was told it expires soon: each license is reminded once."""

    license = models.OneToOneField(
        License, on_delete=models.CASCADE, related_name="expiry_reminder"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Expiry reminder for {self.license}"


class RuleChange(models.Model):
    """A change of a state rule that may move learners' verdicts (issue 18), recorded once per
    rule version for the notices it gives: what changed in words, why, the rule's sources."""

    rule = models.ForeignKey(
        "certification.JurisdictionRule", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveBigIntegerField(unique=True, help_text="The rule's history id.")
    previous_version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The history id before; none for a new rule."
    )
    jurisdiction_name = models.CharField(max_length=100)
    profession = models.CharField(max_length=8)
    changes = models.JSONField(default=list, help_text="The rule's change, in words.")
    reason = models.CharField(max_length=200, blank=True, help_text="Why the rule changed.")
    sources = models.JSONField(default=list, help_text="The rule's citations: title and URL.")
    guide_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.jurisdiction_name} {self.profession} rule, version {self.version}"


class RuleChangeNotice(models.Model):
    """That a rule change moved this learner's verdict there: shown on their dashboard until
    dismissed, and emailed once unless they opted out. One per learner and change, so a task
    run again adds none and sends no second email."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rule_change_notices"
    )
    change = models.ForeignKey(RuleChange, on_delete=models.PROTECT, related_name="notices")
    old_status = models.CharField(max_length=12)  # a verdict's display status
    new_status = models.CharField(max_length=12)
    moved = models.JSONField(default=list, help_text="The requirements that moved for them.")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["learner", "change"], name="rule_change_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.change}: {self.old_status} → {self.new_status}"
