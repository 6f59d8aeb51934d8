"""`{{ user|person_name }}`: a person as every listing names them (learner_display_name)."""

from __future__ import annotations

from django import template

from accounts.models import User
from learners.selectors import learner_display_name

register = template.Library()


@register.filter
def person_name(user: User) -> str:
    return learner_display_name(user)
