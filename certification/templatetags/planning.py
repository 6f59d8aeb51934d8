"""Template filters of the pathway planner's pages."""

from __future__ import annotations

from django import template

from certification.planner import Pathway, Plan, Step

register = template.Library()


@register.filter
def timeline(pathway: Pathway, plan: Plan) -> list[Step]:
    """`{% for step in pathway|timeline:plan %}`: the plan's steps in date order."""
    return pathway.timeline(plan)
