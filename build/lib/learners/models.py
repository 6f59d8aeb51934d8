"""Learner reference data (DESIGN.md 2). Profiles, licenses and the hours ledger come later."""

from __future__ import annotations

from django.db import models


class Profession(models.Model):
    """A licensed profession a course may admit (PT, PTA, ATC, DC, MD, DO, ...)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
