"""`{{ notice.new_status|verdict_words }}`: a verdict's display status as notices write it;
`{{ notice|plan_link }}`: My plan for the notice's state when it left the learner "not yet"."""

from __future__ import annotations

from django import template

from certification.rule_alerts import VERDICT_WORDS
from certification.rule_notices import planner_url
from learners.models import RuleChangeNotice

register = template.Library()


@register.filter
def verdict_words(status: str) -> str:
    return VERDICT_WORDS.get(status, status)


@register.filter
def plan_link(notice: RuleChangeNotice) -> str:
    return planner_url(notice)
