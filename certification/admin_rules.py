"""State rules in the admin: the registrar's create and edit save through `rules_save` (the
one writer of rules), and the list of rules due for review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction

from accounts.roles import user_is_staff_member
from config.dates import provider_today

from .review import REVIEW_MONTHS, review_due_before, rules_due_for_review
from .rules import rules_save

ADMIN_REASON = "Edited in the admin"


class RuleCreateAction(CreateAction):
    def _save_instance(self) -> None:
        self.instance = self.form.save(commit=False) if self.form else self.instance
        rules_save(new=[self.instance], reason=ADMIN_REASON, user=self.user)


class RuleEditAction(EditAction):
    def _save_instance(self) -> None:
        self.instance = self.form.save(commit=False) if self.form else self.instance
        rules_save(changed=[self.instance], reason=ADMIN_REASON, user=self.user)


def rules_due_view(request: HttpRequest) -> HttpResponse:
    if not user_is_staff_member(request.user):
        raise PermissionDenied
    today = provider_today()
    return render(request, "certification/admin/rules_due.html", {
        "rules": rules_due_for_review(today=today), "months": REVIEW_MONTHS,
        "before": review_due_before(today),
    })  # fmt: skip
