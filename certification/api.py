"""The public API (DESIGN.md 4): evaluate eligibility, list the rules on file, and the
signed-in learner's own eligibility. Rate limited (REST_FRAMEWORK's throttles)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .engine import evaluate_all
from .learner_facts import learner_facts
from .rules import rules_for_profession
from .self_check import self_check
from .serializers import ALL, EvaluateRequestSerializer, rule_json, verdict_json


def only_public_api(endpoints: list, **kwargs: object) -> list:
    """drf-spectacular hook: the schema describes /api/v1/ only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v")]


EXAMPLE_REQUEST = {
    "jurisdiction": "VA", "profession": "PT", "as_of": "2026-11-01",
    "license": {"issued": "2019-05-01"},
    "hours": [{"date": "2026-01-10", "hours": 9, "in_person": True}],
}  # fmt: skip


class EvaluateView(APIView):
    @extend_schema(
        request=EvaluateRequestSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("Virginia, one day of hours", value=EXAMPLE_REQUEST,
                                 request_only=True)],
        description='One verdict, or `{"results": [...]}` for `"jurisdiction": "ALL"`. '
        "Bad input: 400 with a message per field.",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        form = EvaluateRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        jurisdiction = form.validated_data["jurisdiction"]
        rules = [
            rule
            for rule in rules_for_profession(form.validated_data["profession"])
            if jurisdiction in (ALL, rule.jurisdiction)
        ]
        issued = form.license_issued()
        verdicts = evaluate_all(
            rules, hours=form.hours_data(), as_of=form.as_of_date(),
            license_issued={rule.jurisdiction: issued for rule in rules},
        )  # fmt: skip
        if jurisdiction == ALL:
            return Response({"results": [verdict_json(v) for v in verdicts]})
        return Response(verdict_json(verdicts[0]))


class JurisdictionListView(APIView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="The rules on file (physical therapists unless `?profession=`), cited.",
    )
    def get(self, request: Request) -> Response:
        profession = request.query_params.get("profession", "PT").upper()
        return Response({"results": [rule_json(r) for r in rules_for_profession(profession)]})


class MyEligibilityView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: OpenApiTypes.OBJECT},
                   description="The signed-in learner's verdict in every jurisdiction, from "
                   "their ledger and licenses; their licensed jurisdictions first.")  # fmt: skip
    def get(self, request: Request) -> Response:
        facts = learner_facts(request.user)
        verdicts = self_check(facts, as_of=timezone.localdate())
        return Response({
            "profession": facts.profession,
            "licensed_in": sorted(facts.licenses),
            "results": [verdict_json(v) for v in verdicts],
        })  # fmt: skip
