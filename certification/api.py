"""The public API (DESIGN.md 4): evaluate eligibility, list the rules on file, and the
signed-in learner's own eligibility. Rate limited (REST_FRAMEWORK's throttles); every answer
it can give is in the OpenAPI schema, which `make security` holds it to."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.dates import provider_today
from config.page_cache import cacheable

from .engine import evaluate_all
from .learner_facts import learner_facts
from .plan_inputs import pathway_for_visitor
from .plan_serializers import PathwayShape, pathway_json
from .rule_cache import rules_on_file, rules_version
from .self_check import self_check
from .serializers import (
    ALL,
    BAD_INPUT,
    THROTTLED,
    EvaluateRequestSerializer,
    JurisdictionQuerySerializer,
    MyEligibilityShape,
    PlanRequestSerializer,
    RuleListShape,
    VerdictListShape,
    VerdictShape,
    api_error,
    profession_codes,
    rule_json,
    verdict_json,
)

JSON_TOO_DEEP = "JSON parse error - the body is nested too deeply."


class JSONBodyParser(JSONParser):
    """DRF's JSON parser, with a body nested past Python's recursion limit a 400 like any
    other unreadable JSON instead of a RecursionError (a 500)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(JSON_TOO_DEEP) from error


def only_public_api(endpoints: list, **kwargs: object) -> list:
    """drf-spectacular hook: the schema describes /api/v1/ only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v")]


def closed_response_objects(result: dict, **kwargs: object) -> dict:
    """drf-spectacular hook: what we answer has exactly the documented keys
    (`additionalProperties: false`); requests stay open, unknown keys are ignored."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Shape") and "properties" in component:
            component["additionalProperties"] = False
    return result


FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Unreadable JSON (`{"detail": ...}`), or a message per bad field '
    '(`{"as_of": ["..."], "hours": {"0": {"hours": ["..."]}}}`).',
)

EXAMPLE_REQUEST = {
    "jurisdiction": "VA", "profession": "PT", "as_of": "2026-11-01",
    "license": {"issued": "2019-05-01"},
    "hours": [{"date": "2026-01-10", "hours": 9, "in_person": True}],
}  # fmt: skip


class EvaluateView(APIView):
    parser_classes = (JSONBodyParser,)

    @extend_schema(
        request=EvaluateRequestSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="EvaluateResult", serializers=[VerdictShape, VerdictListShape],
                resource_type_field_name=None,
            ),
            400: FIELD_ERRORS,
            403: api_error("Signed in (a session cookie) but without the CSRF token."),
            415: api_error("The body is not `application/json`."),
            429: THROTTLED,
        },
        examples=[OpenApiExample("Virginia, one day of hours", value=EXAMPLE_REQUEST,
                                 request_only=True)],
        description='One verdict, or `{"results": [...]}` for `"jurisdiction": "ALL"`. '
        "Bad input: 400 with a message per field.",
    )  # fmt: skip
    def post(self, request: Request) -> HttpResponse:
        form = EvaluateRequestSerializer(
            data=request.data, context={"profession_codes": profession_codes()}
        )
        form.is_valid(raise_exception=True)  # bad input is a 400 and never kept
        key = _answer_key(form.validated_data)
        answer = cache.get(key)
        if answer is None:
            answer = JSONRenderer().render(_evaluate(form))
            cache.set(key, answer, ANSWER_TIMEOUT)
        # Kept whole too, by raw body (config/page_cache.py): the same question again is
        # answered before the session is read or the body parsed, after the rate limit.
        return cacheable(HttpResponse(answer, content_type="application/json"))


# An answer depends on the request, the rules and (for a missing `as_of`) today alone: kept
# under all three, so a rule change or a new day is seen at once. The timeout bounds memory.
ANSWER_TIMEOUT = 60 * 60


def _answer_key(validated: dict) -> str:
    canonical = json.dumps(validated, sort_keys=True, default=str)
    parts = f"{canonical}|{rules_version()}|{provider_today().isoformat()}"
    return "api:evaluate:" + hashlib.sha256(parts.encode()).hexdigest()


def _evaluate(form: EvaluateRequestSerializer) -> dict:
    jurisdiction = form.validated_data["jurisdiction"]
    rules = [
        rule
        for rule in rules_on_file(form.validated_data["profession"])
        if jurisdiction in (ALL, rule.jurisdiction)
    ]
    issued = form.license_issued()
    verdicts = evaluate_all(
        rules, hours=form.hours_data(), as_of=form.as_of_date(),
        license_issued={rule.jurisdiction: issued for rule in rules},
    )  # fmt: skip
    if jurisdiction == ALL:
        return {"results": [verdict_json(v) for v in verdicts]}
    return verdict_json(verdicts[0])


PLAN_EXAMPLE = {
    "profession": "PT", "jurisdictions": ["MD", "VA"], "target_date": "2027-06-30",
    "license": {"issued": "2019-05-01"},
    "hours": [{"date": "2026-09-12", "hours": 27, "in_person": True}],
}  # fmt: skip


class PlansView(APIView):
    parser_classes = (JSONBodyParser,)

    @extend_schema(
        request=PlanRequestSerializer,
        responses={
            200: PathwayShape,
            400: FIELD_ERRORS,
            403: api_error("Signed in (a session cookie) but without the CSRF token."),
            415: api_error("The body is not `application/json`."),
            429: THROTTLED,
        },
        examples=[OpenApiExample("Maryland and Virginia by June", value=PLAN_EXAMPLE,
                                 request_only=True)],
        description="What to book, and by when: the cheapest and the earliest combinations "
        "of upcoming offerings (a free seat or a waitlist) that make every state asked for "
        "eligible, each state's eligibility date, and the states no offering can get to, "
        "with what is missing. Hours and license as for the evaluate API.",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        form = PlanRequestSerializer(
            data=request.data, context={"profession_codes": profession_codes()}
        )
        form.is_valid(raise_exception=True)
        pathway = pathway_for_visitor(
            profession=form.validated_data["profession"], jurisdictions=form.targets(),
            hours=form.hours_data(), license_issued=form.license_issued(),
            today=provider_today(), target=form.validated_data.get("target_date"),
        )  # fmt: skip
        return Response(pathway_json(pathway))


class JurisdictionListView(APIView):
    @extend_schema(
        parameters=[JurisdictionQuerySerializer],
        responses={200: RuleListShape, 400: FIELD_ERRORS, 429: THROTTLED},
        description="The rules on file (physical therapists unless `?profession=`), cited.",
    )
    def get(self, request: Request) -> Response:
        query = JurisdictionQuerySerializer(
            data=request.query_params, context={"profession_codes": profession_codes()}
        )
        query.is_valid(raise_exception=True)
        profession = query.validated_data["profession"]
        return Response({"results": [rule_json(r) for r in rules_on_file(profession)]})


class MyEligibilityView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        responses={200: MyEligibilityShape, 400: BAD_INPUT,
                   403: api_error("Not signed in."), 429: THROTTLED},
        description="The signed-in learner's verdict in every jurisdiction, from their ledger "
        "and licenses; their licensed jurisdictions first.",
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        facts = learner_facts(request.user)
        verdicts = self_check(facts, as_of=provider_today())
        return Response({
            "profession": facts.profession,
            "licensed_in": sorted(facts.licenses),
            "results": [verdict_json(v) for v in verdicts],
        })  # fmt: skip
