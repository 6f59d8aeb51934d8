"""State rules (DESIGN.md 2): jurisdiction x profession, cited and dated, with every change
kept by django-simple-history (who, when, the previous values); certification programs and
the certificates awarded."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django import forms
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.search import index

from config.dates import provider_date
from config.stamps import SavedStamp


class RequirementBlock(blocks.StructBlock):
    label = blocks.CharBlock(help_text="What the board asks for, in a few words.")
    min_total_hours = blocks.DecimalBlock(
        required=False, min_value=0, decimal_places=2, help_text="Blank: no hour minimum."
    )
    min_in_person_hours = blocks.DecimalBlock(min_value=0, decimal_places=2, default=0)
    window_months = blocks.IntegerBlock(
        required=False, min_value=1, help_text="Blank: no time window."
    )
    prior_practice_years = blocks.IntegerBlock(
        required=False, min_value=1, help_text="Years licensed before; blank: none."
    )

    class Meta:
        icon = "list-ul"


class CitationBlock(blocks.StructBlock):
    url = blocks.URLBlock(label="URL")
    title = blocks.CharBlock(required=False)
    date = blocks.CharBlock(required=False, help_text="The source's date, as it gives it.")
    quote = blocks.TextBlock(required=False)

    class Meta:
        icon = "link"


class JurisdictionRule(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PERMITTED = "permitted", "Permitted"
        PROHIBITED = "prohibited", "Prohibited"
        NO_RULE = "no_rule", "No rule on file"

    jurisdiction = models.CharField(max_length=20, help_text="Postal code, e.g. VA.")
    name = models.CharField(max_length=100)
    profession = models.ForeignKey(
        "learners.Profession", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    requirements = StreamField(
        [("requirement", RequirementBlock())], blank=True,
        help_text="Each is reported on its own; all must be met.",
    )  # fmt: skip
    conditions = models.TextField(
        blank=True, help_text="What the tracker cannot measure, one per line."
    )
    citations = StreamField([("citation", CitationBlock())], blank=True)
    notes = models.TextField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("jurisdiction"), FieldPanel("name"), FieldPanel("profession")]),
        FieldPanel("status"),
        FieldPanel("requirements"),
        FieldPanel("conditions"),
        FieldPanel("citations"),
        FieldPanel("notes"),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("last_reviewed")]),
    ]
    search_fields: ClassVar[list] = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["jurisdiction", "profession__code"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["jurisdiction", "profession"], name="one_rule_per_jurisdiction_profession"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.jurisdiction}), {self.profession.code}"

    @property
    def condition_list(self) -> list[str]:
        return [line.strip() for line in self.conditions.splitlines() if line.strip()]


class Program(models.Model):
    """A certification and what it takes (DESIGN.md 3.4), held as data: the courses to
    complete, hours within a window from them, and a verified license."""

    code = models.CharField(
        max_length=10, unique=True, help_text="Prefix of certificate numbers, e.g. CDN."
    )
    name = models.CharField(max_length=200)
    required_courses = models.ManyToManyField("courses.Course", related_name="programs")
    min_hours = models.DecimalField(
        max_digits=6, decimal_places=2, help_text="Hours from the required courses…"
    )
    window_months = models.PositiveSmallIntegerField(help_text="…within this many months.")
    requires_verified_license = models.BooleanField(
        default=True,
        help_text="A verified, unexpired license in a profession the courses admit.",
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("required_courses", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("min_hours"), FieldPanel("window_months")]),
        FieldPanel("requires_verified_license"),
    ]

    def __str__(self) -> str:
        return self.name


class Certificate(SavedStamp):
    """A certification awarded to a learner: issued once, with the evidence it rests on
    frozen in; revoked and reinstated with reasons, never deleted."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        REVOKED = "revoked", "Revoked"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="certificates")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(max_length=30, unique=True)
    verification_code = models.CharField(max_length=40, unique=True)
    holder_name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField()
    evidence = models.JSONField(help_text="The courses, hours and license at issue.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    status_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["learner", "program"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def issued_on(self) -> dt.date:
        """The provider's date of issue: what every page, document and export shows."""
        return provider_date(self.issued_at)

    @property
    def revoked_on(self) -> dt.date | None:
        """The provider's date of the revocation, while revoked."""
        if self.status != self.Status.REVOKED or self.status_changed_at is None:
            return None
        return provider_date(self.status_changed_at)


class EvidencePack(models.Model):
    """A learner's evidence for one jurisdiction (issue 18, section 3): the snapshot of the
    facts it was built from, their SHA-256 and the PDF rendered from them once. Kept as
    produced: only the PDF's name and hash are set, once, when it is rendered."""

    code = models.CharField(max_length=40, unique=True)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_packs"
    )
    jurisdiction = models.CharField(max_length=20)
    profession = models.CharField(max_length=8)
    as_of = models.DateField(help_text="The date the facts were measured on.")
    produced_at = models.DateTimeField()
    snapshot = models.JSONField(help_text="The facts it was built from, canonical.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical snapshot.")
    pdf_name = models.CharField(max_length=200, blank=True, help_text="In default storage.")
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-produced_at", "-pk"]

    def __str__(self) -> str:
        return f"Evidence for {self.jurisdiction} ({self.profession}), {self.as_of}"

    @property
    def produced_on(self) -> dt.date:
        return provider_date(self.produced_at)

    @property
    def is_ready(self) -> bool:
        """Its PDF is rendered and stored."""
        return bool(self.pdf_name)
