"""The plans API's answer (issue 18 §1): a pathway written out as plain JSON, and its shapes
for the OpenAPI schema (the functions write exactly these)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from .planner import NO_COMBINATION, NO_LICENSE_DATE, TOO_FEW_HOURS, Offer, Pathway, Plan
from .serializers import VerdictShape, number, verdict_json


def offer_json(offer: Offer) -> dict:
    return {
        "id": offer.id, "course": offer.course, "place": offer.place,
        "first_day": offer.first_day.isoformat(), "last_day": offer.last_day.isoformat(),
        "hours": number(offer.hours), "in_person_hours": number(offer.in_person_hours),
        "price_cents": offer.price_cents, "currency": offer.currency,
        "waitlist": offer.full,
        "enroll_until": offer.enroll_until.isoformat() if offer.enroll_until else None,
        "url": reverse("offering_detail", args=[offer.id]),
    }  # fmt: skip


def plan_json(plan: Plan, pathway: Pathway) -> dict:
    return {
        "offerings": [offer_json(o) for o in plan.offers],
        "taken_again": sorted(plan.again),
        "cost_cents": plan.cost_cents, "currency": plan.currency,
        "ready_on": plan.ready_on.isoformat(), "meets_target": pathway.meets_target(plan),
        "states": [verdict_json(v) for v in plan.verdicts],
    }  # fmt: skip


def pathway_json(pathway: Pathway) -> dict:
    plans = pathway.plans
    return {
        "as_of": pathway.as_of.isoformat(),
        "target_date": pathway.target.isoformat() if pathway.target else None,
        "now": [verdict_json(v) for v in pathway.now],
        "cheapest": plan_json(pathway.cheapest, pathway) if pathway.cheapest else None,
        "earliest": plan_json(pathway.earliest, pathway) if len(plans) == 2 else None,
        "unreachable": [
            {"reason": s.reason, "best_case": verdict_json(s.verdict)} for s in pathway.shortfalls
        ],
        "truncated": pathway.truncated,
    }


class PlanOfferingShape(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.CharField()
    place = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    hours = serializers.FloatField(min_value=0)
    in_person_hours = serializers.FloatField(min_value=0)
    price_cents = serializers.IntegerField(min_value=0)
    currency = serializers.CharField()
    waitlist = serializers.BooleanField(help_text="Full: the plan joins its waitlist.")
    enroll_until = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="The offering's page, where a learner enrolls.")


class PlanShape(serializers.Serializer):
    offerings = PlanOfferingShape(many=True, help_text="To book, soonest first.")
    taken_again = serializers.ListField(
        child=serializers.CharField(), help_text="Courses completed before, taken again."
    )
    cost_cents = serializers.IntegerField(min_value=0)
    currency = serializers.CharField()
    ready_on = serializers.DateField(help_text="The first day every state is eligible.")
    meets_target = serializers.BooleanField()
    states = VerdictShape(
        many=True, help_text="Each state's verdict on the day it becomes eligible (`as_of`)."
    )


class ShortfallShape(serializers.Serializer):
    reason = serializers.ChoiceField([NO_LICENSE_DATE, TOO_FEW_HOURS, NO_COMBINATION])
    best_case = VerdictShape(help_text="The verdict with every course on offer booked once.")


class PathwayShape(serializers.Serializer):
    as_of = serializers.DateField()
    target_date = serializers.DateField(allow_null=True)
    now = VerdictShape(many=True, help_text="Each state asked for, today.")
    cheapest = PlanShape(allow_null=True)
    earliest = PlanShape(allow_null=True, help_text="Null when the cheapest is also soonest.")
    unreachable = ShortfallShape(many=True)
    truncated = serializers.BooleanField()
