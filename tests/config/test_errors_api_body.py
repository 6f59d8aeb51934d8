"""An API call whose body is over the accepted size gets the API's JSON 400, not an HTML page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_oversized_body_gets_a_json_400_saying_so(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"jurisdiction": "VA", "hours": [' + ",".join(['{"x": 1}'] * 500) + "]}"

    response = client.post("/api/v1/eligibility/evaluate", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "The request body is larger than the 1,000 bytes accepted."
