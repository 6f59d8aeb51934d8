"""`{{ notice.new_status|verdict_words }}`: a verdict's display status as notices write it."""

from __future__ import annotations

from django import template

from certification.rule_alerts import VERDICT_WORDS

register = template.Library()


@register.filter
def verdict_words(status: str) -> str:
    return VERDICT_WORDS.get(status, status)
