"""`POST /api/v1/roster/sync/` (issue 19): the marks an instructor's phone queued, offline or
not, sent for one offering. Signed in by session, with the CSRF token. Another instructor's
offering is a 403 and bad input a 400 with the errors at each mark's place, both changing
nothing; otherwise one result per mark (`roster_sync` decides). Applied marks may complete
enrollments, so the view then asks certification to re-evaluate, as the roster page does."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.programs import certificates_reevaluate_later
from certification.serializers import THROTTLED, api_error
from config.errors import error_body
from learners.hours import validate_quarter_hours

from .models import CourseDay, Enrollment, Offering, RosterSyncMark
from .roster import Mark
from .services.roster import RosterError, ensure_may_record
from .services.roster_sync import Outcome, SyncMark, SyncResult, roster_sync

Kind = RosterSyncMark.Kind
MAX_MARKS = 500
NO_OFFERING = "There is no offering {pk}."
NOT_A_DAY = "Day {pk} is not a day of this offering."
NOT_A_LEARNER = "No learner of this offering has enrollment {pk}."
REQUIRED_FOR = "Required for a mark of kind {kind}."
NO_RESULT = "Give a written score, a practical result, or both."


class SyncMarkSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The id the phone gave the mark; a repeat is ignored.")
    kind = serializers.ChoiceField(Kind.choices)
    day = serializers.IntegerField(required=False, min_value=1, help_text="attendance, checkin")
    enrollment = serializers.IntegerField(
        required=False, min_value=1, help_text="attendance, assessment"
    )
    mark = serializers.ChoiceField(Mark.choices, required=False, help_text="attendance")
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=0, max_value=24, required=False,
        allow_null=True, validators=[validate_quarter_hours], help_text="attendance, partial",
    )  # fmt: skip
    written_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100, help_text="assessment"
    )
    practical_passed = serializers.BooleanField(
        required=False, allow_null=True, help_text="assessment"
    )
    code = serializers.CharField(
        required=False, max_length=200, help_text="checkin: the QR text or the short code"
    )

    NEEDS = {
        Kind.ATTENDANCE: ("day", "enrollment", "mark"),
        Kind.ASSESSMENT: ("enrollment",),
        Kind.CHECKIN: ("day", "code"),
    }

    def validate(self, attrs: dict) -> dict:
        kind = attrs["kind"]
        errors = {
            name: [REQUIRED_FOR.format(kind=kind)]
            for name in self.NEEDS[kind]
            if attrs.get(name) in (None, "")
        }
        if "day" in attrs and attrs["day"] not in self.context["day_ids"]:
            errors["day"] = [NOT_A_DAY.format(pk=attrs["day"])]
        if "enrollment" in attrs and attrs["enrollment"] not in self.context["enrollment_ids"]:
            errors["enrollment"] = [NOT_A_LEARNER.format(pk=attrs["enrollment"])]
        if kind == Kind.ASSESSMENT and not {"written_score", "practical_passed"} & set(attrs):
            errors["written_score"] = [NO_RESULT]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_mark(self, attrs: dict) -> SyncMark:
        return SyncMark(
            client_id=attrs["id"], kind=Kind(attrs["kind"]), enrollment_id=attrs.get("enrollment"),
            day_id=attrs.get("day"), mark=Mark(attrs["mark"]) if "mark" in attrs else None,
            hours=attrs.get("hours"), written_score=attrs.get("written_score"),
            practical_passed=attrs.get("practical_passed"),
            gives_written="written_score" in attrs, gives_practical="practical_passed" in attrs,
            code=attrs.get("code", ""),
        )  # fmt: skip


class SyncOfferingSerializer(serializers.Serializer):
    offering = serializers.IntegerField(min_value=1)

    def validate_offering(self, pk: int) -> int:
        if not Offering.objects.filter(pk=pk).exists():
            raise serializers.ValidationError(NO_OFFERING.format(pk=pk))
        return pk


class SyncRequestSerializer(SyncOfferingSerializer):
    marks = SyncMarkSerializer(many=True, max_length=MAX_MARKS)


class RefusalShape(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    code = serializers.CharField(required=False)


class SyncResultShape(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField([str(outcome) for outcome in Outcome])
    reasons = serializers.ListField(child=serializers.CharField())
    enrollment = serializers.IntegerField(allow_null=True)


class SyncResponseShape(serializers.Serializer):
    results = SyncResultShape(many=True)


def _result_json(result: SyncResult) -> dict:
    return {
        "id": str(result.client_id), "status": str(result.outcome),
        "reasons": list(result.reasons), "enrollment": result.enrollment_id,
    }  # fmt: skip


EXAMPLE = {
    "offering": 12,
    "marks": [
        {"id": "6f1c1f9e-3b8e-4d0e-9c55-3f0c2b1d7a10", "kind": "attendance", "day": 31,
         "enrollment": 204, "mark": "partial", "hours": "6.5"},
        {"id": "0d7e2f51-5a4c-4c1e-8f0a-2b9d6c3e4f21", "kind": "assessment", "enrollment": 204,
         "written_score": 88, "practical_passed": True},
        {"id": "a3b5c7d9-1e2f-4a6b-8c0d-9e8f7a6b5c4d", "kind": "checkin", "day": 31,
         "code": "K7Q2MX"},
    ],
}  # fmt: skip


class RosterSyncView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=SyncRequestSerializer,
        responses={
            200: SyncResponseShape,
            400: OpenApiResponse(
                description="Bad input, nothing applied: the errors per field, a mark's under "
                'its index (`{"marks": {"1": {"hours": ["..."]}}}`).'
            ),
            403: OpenApiResponse(
                RefusalShape,
                description="Not signed in or no CSRF token (`detail` only), or not an "
                'instructor of the offering (`code`: "roster_refused", with its `reasons`).',
            ),
            415: api_error("The body is not `application/json`."),
            429: THROTTLED,
        },
        examples=[OpenApiExample("Three marks", value=EXAMPLE, request_only=True)],
        description="Apply an instructor's queued marks (attendance, assessment, check-in) "
        "for one offering, each once by its id: `applied`, `already_applied`, or `refused` "
        "with its reasons (day signed off meanwhile, seat cancelled, hours above the day's).",
    )
    def post(self, request: Request) -> Response:
        head = SyncOfferingSerializer(data=request.data)
        head.is_valid(raise_exception=True)
        offering_id = head.validated_data["offering"]
        try:
            ensure_may_record(offering_id, request.user)
        except RosterError as error:
            return Response(error_body(error), status=403)
        body = SyncRequestSerializer(data=request.data, context=_ids_of(offering_id))
        body.is_valid(raise_exception=True)
        marks = [SyncMarkSerializer().to_mark(m) for m in body.validated_data["marks"]]
        results = roster_sync(offering_id=offering_id, marks=marks, recorded_by=request.user)
        if learners := {r.learner_id for r in results if r.outcome == Outcome.APPLIED}:
            certificates_reevaluate_later(learner_ids=sorted(learners))
        return Response({"results": [_result_json(r) for r in results]})


def _ids_of(offering_id: int) -> dict[str, set[int]]:
    days = CourseDay.objects.filter(offering_id=offering_id)
    seats = Enrollment.objects.filter(offering_id=offering_id)
    return {
        "day_ids": set(days.values_list("pk", flat=True)),
        "enrollment_ids": set(seats.values_list("pk", flat=True)),
    }
