"""A rule's changes, newest first: who, when, why, and each field's previous value."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.roles import user_is_staff_member

from .models import JurisdictionRule


def rule_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    rule = get_object_or_404(JurisdictionRule.objects.select_related("profession"), pk=pk)
    versions = list(rule.history.select_related("history_user").order_by("-history_date"))
    changes = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        diff = newer.diff_against(older).changes if older else []
        changes.append((newer, [(c.field, c.old, c.new) for c in diff]))
    return render(request, "certification/admin/rule_history.html", {
        "rule": rule, "changes": changes,
    })  # fmt: skip
