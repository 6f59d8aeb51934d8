"""What changed in the catalog and the state rules, field by field: each save keeps the
previous version (django-simple-history), and a registrar reads who changed what, when, on
the row's Changes page. An offering's page includes its days and refund tiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from certification.models import JurisdictionRule
from courses.models import CEUApproval, Course, CourseDay, Offering, RefundTier, Venue


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    children: tuple[type[models.Model], ...] = ()  # inline rows kept with a parent_id


TRACKED: dict[str, Tracked] = {
    "rules": Tracked(JurisdictionRule),
    "courses": Tracked(Course, (CEUApproval,)),
    "offerings": Tracked(Offering, (CourseDay, RefundTier)),
    "venues": Tracked(Venue),
}


@dataclass(frozen=True)
class Change:
    version: Any  # a historical row
    part: str  # "" for the row itself, else e.g. "Course day 14 Mar 2027"
    fields: list[tuple[str, Any, Any]]  # (field, previous, new)


def kind_of(instance: models.Model) -> str | None:
    """The TRACKED key for this row's model, or None when its history is not kept."""
    return next((k for k, t in TRACKED.items() if isinstance(instance, t.model)), None)


def changes(tracked: Tracked, pk: int) -> list[Change]:
    """Every version of the row and its children, newest first, each with the fields that
    differ from the version before it (a child's unchanged re-save left out)."""
    # On a history model `pk` is the version's own id; the row's id is the original field.
    timelines = [(tracked.model.history.filter(**{tracked.model._meta.pk.attname: pk}), "")]
    timelines += [
        (child.history.filter(parent_id=pk), child._meta.verbose_name.capitalize())
        for child in tracked.children
    ]
    found: list[Change] = []
    for versions, label in timelines:
        by_row: dict[int, list[Any]] = {}
        for version in versions.select_related("history_user").order_by("history_date"):
            by_row.setdefault(getattr(version, version.instance_type._meta.pk.attname), []).append(
                version
            )
        for rows in by_row.values():
            for older, newer in zip([None, *rows], rows, strict=False):
                diff = newer.diff_against(older).changes if older else []
                if label and newer.history_type == "~" and not diff:
                    continue  # saving an offering re-saves every day and tier unchanged
                part = f"{label} {newer.instance}" if label else ""
                found.append(Change(newer, part, [(c.field, c.old, c.new) for c in diff]))
    return sorted(found, key=lambda c: c.version.history_date, reverse=True)
