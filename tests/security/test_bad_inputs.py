"""The bad-input sweep (issue 14, item 11): inputs that once answered a 500. Each is now refused
with a 4xx (or, for an import, its line is reported) and a message a person can act on, and
the database is exactly as it was: every table compared row by row before and after.

Part 1 is the NUL character, the evaluate API's dates and nesting (config/nul_bytes.py,
certification/). Part 2 (marked below) covers fixes made in courses/ and operations/.
On PostgreSQL (CI's second run) a NUL reaching a query is an error, not an empty result."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time

import pytest
import stripe
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Enrollment, Payment
from learners.models import HoursEntry, OutsideTraining
from tests.courses.test_enrollment_hold import licensed_learner
from tests.factories import catalog_offering

pytestmark = pytest.mark.django_db
EVALUATE = "/api/v1/eligibility/evaluate"


def database_state() -> dict[str, list]:
    """Every row of every table but the sessions (a signed-in client's own bookkeeping)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model is not Session
    }


@pytest.fixture
def unchanged():
    """Asserts, after the test, that no table changed since this fixture ran: request it
    last, after the fixtures that build the test's data and sign its client in."""
    before = database_state()
    yield
    assert database_state() == before


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def as_learner(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def as_registrar(client, registrar):
    client.force_login(registrar)
    return client


# --- Part 1: NUL characters, the evaluate API's dates and nesting --------------------------

PUBLIC_LOOKUPS = [
    ("/api/v1/jurisdictions/?profession=%00", "profession"),
    ("/api/v1/certificates/%00/", "address"),
    ("/verify/%00/", "address"),
    ("/verify/abc%00def/", "address"),
    ("/directory/?q=%00", '"q"'),
    ("/directory/?state=V%00A", '"state"'),
    ("/directory/?profession=%00", '"profession"'),
    ("/offerings/?state=%00", '"state"'),
    ("/offerings/?course=DN-1%00", '"course"'),
    ("/offerings/?month=2027-03%00", '"month"'),
    ("/search/?query=%00", '"query"'),
    ("/calculator/?profession=PT%00", '"profession"'),
    ("/states/%00/", "address"),
    ("/?%00=1", "query parameter"),
]
SIGNED_IN_LOOKUPS = [
    "/me/eligibility/?state=%00",
    "/me/certificates/1/?x=%00",
    "/api/v1/me/eligibility/?x=%00",
]
REGISTRAR_LOOKUPS = [
    "/admin/pages/search/?q=%00",
    "/admin/users/?q=%00",
    "/admin/imports/?kind=%00",
]


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize(("url", "named"), PUBLIC_LOOKUPS)
def test_it_refuses_a_nul_character_in_a_public_lookup(client, url, named, unchanged):
    response = client.get(url)

    assert response.status_code == 400
    text = response.json()["detail"] if url.startswith("/api/") else _page_text(response)
    assert "NUL character (%00)" in text and named in text


@pytest.mark.parametrize("url", SIGNED_IN_LOOKUPS)
def test_it_refuses_a_nul_character_in_a_learners_lookup(as_learner, url, unchanged):
    assert as_learner.get(url).status_code == 400


@pytest.mark.parametrize("url", REGISTRAR_LOOKUPS)
def test_it_refuses_a_nul_character_in_the_admin(as_registrar, url, unchanged):
    assert as_registrar.get(url).status_code == 400


def test_it_refuses_a_nul_character_in_a_form_field(client, learner, unchanged):
    response = client.post(
        "/accounts/login/", {"login": "learner@example.test\x00", "password": "x"}
    )

    assert response.status_code == 400
    assert 'The form field "login" contains a NUL character' in _page_text(response)


def test_an_uploaded_files_own_bytes_may_hold_nul(as_registrar, unchanged):
    """Only form fields are checked: a PDF or an image holds NUL bytes of its own."""
    file = SimpleUploadedFile("rows.csv", b"a,b\x00c\n", "text/csv")

    response = as_registrar.post("/admin/imports/", {"kind": "outside", "file": file})

    assert response.status_code == 200


def _evaluate(client, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(EVALUATE, text, content_type="application/json")


def _request(**changes):
    return {"jurisdiction": "ALL", "profession": "PT", "as_of": "2026-11-01", "hours": []} | changes


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"as_of": "9999-12-31",
          "hours": [{"date": "9999-12-30", "hours": 27, "in_person": True}]}, ["as_of"]),
        ({"as_of": "0001-01-01"}, ["as_of"]),
        ({"hours": [{"date": "9999-12-30", "hours": 27, "in_person": True}]},
         ["hours", "0", "date"]),
        ({"license": {"issued": "1899-12-31"}}, ["license", "issued"]),
        ({"jurisdiction": "V\x00A"}, ["jurisdiction"]),
        ({"profession": "P\x00T"}, ["profession"]),
        ({"profession": ["PT"]}, ["profession"]),
        ({"hours": [{"date": "2026-01-10", "hours": "NaN", "in_person": True}]},
         ["hours", "0", "hours"]),
        ({"hours": [{"date": "2026-01-10", "hours": 1e10, "in_person": True}]},
         ["hours", "0", "hours"]),
    ],
)  # fmt: skip
def test_the_evaluate_api_names_the_bad_field(client, changes, where, unchanged):
    response = _evaluate(client, _request(**changes))

    assert response.status_code == 400
    errors = response.json()
    for key in where:
        errors = errors[key]
    assert errors and all(isinstance(message, str) and message for message in errors)


@pytest.mark.usefixtures("rules")
def test_the_evaluate_api_says_which_dates_it_takes(client, unchanged):
    response = _evaluate(client, _request(as_of="9999-12-31"))

    assert response.json() == {"as_of": ["Give a date between 1900-01-01 and 2100-12-31."]}


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        json.dumps(_request())[:-1] + ', "hours": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"jurisdiction": NaN}',
        "{",
    ],
    ids=["deep-array", "deep-object", "deep-field", "NaN", "truncated"],
)
def test_unreadable_json_is_a_400_with_a_message(client, body, unchanged):
    response = _evaluate(client, body)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


# --- Part 2: fixed in courses/ and operations/ by other changes (issue 14, item 11) --------
# These fail until those branches are merged with this one.

OUTSIDE_HEADER = "learner_email,provider,title,started_on,ended_on,hours,in_person_hours\n"
NOT_HOURS = ["NaN", "Infinity", "-Infinity", "sNaN", "1e10", "²"]


def _import(client, kind: str, text: str):
    file = SimpleUploadedFile("rows.csv", text.encode(), "text/csv")
    page = client.post("/admin/imports/", {"kind": kind, "file": file, "mode": "valid"})
    confirmed = client.post("/admin/imports/", {"confirm": "1"})
    return page, confirmed


def _hours_and_trainings() -> tuple[list, list]:
    """What an import writes (the log records every import, even one that writes nothing)."""
    return list(HoursEntry.objects.values_list()), list(OutsideTraining.objects.values_list())


def _reported_errors(page) -> str:
    return re.search(r'data-summary="errors">(\d+)<', page.content.decode())[1]


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize("column", ["hours", "in_person_hours"])
@pytest.mark.parametrize("value", NOT_HOURS)
def test_an_outside_training_import_reports_a_number_that_is_not_hours(
    as_registrar, learner, settings, tmp_path, column, value
):
    settings.MEDIA_ROOT = tmp_path
    hours = {"hours": "8", "in_person_hours": "8"} | {column: value}
    row = f"{learner.email},P,T,2026-09-12,2026-09-13,{hours['hours']},{hours['in_person_hours']}"

    page, confirmed = _import(as_registrar, "outside", OUTSIDE_HEADER + row + "\n")

    assert page.status_code == 200 and _reported_errors(page) == "1"
    assert "Line 2:" in page.content.decode()
    assert confirmed.status_code < 500
    assert _hours_and_trainings() == ([], [])


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize(
    ("column", "value"), [*(("hours", v) for v in NOT_HOURS), ("offering", "²")]
)
def test_an_attendance_import_reports_a_value_that_is_not_a_number(
    as_registrar, learner, column, value
):
    offering = catalog_offering(first_day=dt.date(2026, 11, 20), status="closed")
    Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    cells = {"offering": str(offering.pk), "hours": "9"} | {column: value}
    text = (
        "offering,date,learner_email,hours\n"
        f"{cells['offering']},2026-11-20,{learner.email},{cells['hours']}\n"
    )
    page, confirmed = _import(as_registrar, "attendance", text)

    assert page.status_code == 200 and _reported_errors(page) == "1"
    assert "Line 2:" in page.content.decode()
    assert confirmed.status_code < 500
    assert _hours_and_trainings() == ([], [])


def test_enrolling_in_an_offering_that_does_not_exist_is_a_404(client):
    client.force_login(licensed_learner())
    before = database_state()

    response = client.post("/offerings/999999/enroll/")

    assert response.status_code == 404
    assert database_state() == before


@pytest.mark.usefixtures("localstripe")
@pytest.mark.parametrize("card_id", ["tok_does_not_exist", "card_x", "", "x" * 5000, "\x00"])
def test_paying_with_a_card_that_does_not_exist_is_refused_and_keeps_the_hold(client, card_id):
    offering = catalog_offering(first_day=dt.date.today() + dt.timedelta(days=40), capacity=2)
    client.force_login(licensed_learner())
    client.post(f"/offerings/{offering.pk}/enroll/")
    hold = Enrollment.objects.get()

    response = client.post(f"/me/enrollments/{hold.pk}/pay/", json.dumps({"card_id": card_id}),
                           content_type="application/json")  # fmt: skip

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    hold.refresh_from_db()
    assert hold.status == Enrollment.Status.HELD
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()


WEBHOOK_SECRET = "whsec_test_secret"
MALFORMED_EVENTS = {
    "not-an-object": [],
    "a-string": "payment_intent.succeeded",
    "no-type": {"id": "evt_1", "object": "event", "data": {"object": {"id": "pi_1"}}},
    "no-data": {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded"},
    "data-not-an-object": {"id": "evt_1", "type": "payment_intent.succeeded", "data": []},
    "object-without-id": {"id": "evt_1", "type": "payment_intent.succeeded",
                          "data": {"object": {"object": "payment_intent"}}},
    "id-not-a-string": {"id": "evt_1", "type": "charge.refunded",
                        "data": {"object": {"id": 5, "object": "charge"}}},
    "no-event-id": {"type": "payment_intent.succeeded",
                    "data": {"object": {"id": "pi_1", "object": "payment_intent"}}},
    "nul-in-id": {"id": "evt_\x00", "type": "payment_intent.succeeded",
                  "data": {"object": {"id": "pi_\x00", "object": "payment_intent"}}},
}  # fmt: skip


@pytest.mark.usefixtures("localstripe")
@pytest.mark.parametrize("payload", MALFORMED_EVENTS.values(), ids=MALFORMED_EVENTS.keys())
def test_a_signed_but_malformed_stripe_event_is_refused_and_changes_nothing(
    client, settings, payload
):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(
        body, WEBHOOK_SECRET, int(time.time())
    )
    before = database_state()

    response = client.post("/stripe/webhook/", body, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=header)  # fmt: skip

    assert 400 <= response.status_code < 500
    assert response.content
    assert database_state() == before
