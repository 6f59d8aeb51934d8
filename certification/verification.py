"""Looking a record up by the code printed on it (DESIGN.md 4): certificates and evidence
packs alike are public to anyone holding the code, and rate limited per client, on the
pages and the API, so codes cannot be guessed in bulk."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from config.throttling import VerificationThrottle

from .serializers import BAD_INPUT, THROTTLED, api_error


class LookupByCodeAPIView(APIView):
    """`GET <code>`: what anyone holding the code may know of the record."""

    throttle_classes = (VerificationThrottle,)


def lookup_by_code_schema(*, shape: type[Serializer], unknown: str, description: str):
    """The published answers of a lookup by code: the record, or why not (`unknown`: 404)."""
    return extend_schema(
        responses={200: shape, 400: BAD_INPUT, 404: api_error(unknown), 429: THROTTLED},
        description=description,
    )
