"""One shape for every refusal (config.errors): each reason once, on a form, as messages, or
as the API's 400 body, whichever service refused."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from certification.certificates import CertificateActionError
from certification.rules import RulesFileError
from config.errors import (
    ApplicationError,
    api_exception_handler,
    error_body,
    error_messages,
    error_on_form,
)
from courses.exceptions import CatalogError, EnrollmentError
from courses.roster import MarkError
from courses.services.payments import CardUnusable
from courses.services.roster import RosterError
from learners.ledger import LedgerError
from learners.services import ReviewError
from operations.imports import ImportFileError

FULL = "The offering is full."
CLOSED = "Registration closed on 1 December 2026."


class ReasonForm(forms.Form):
    reason = forms.CharField()


def test_it_keeps_each_reason_once_in_order_and_says_them_all():
    error = EnrollmentError([FULL, CLOSED, FULL])

    assert error.reasons == (FULL, CLOSED)
    assert str(error) == f"{FULL} {CLOSED}"


def test_it_takes_a_single_reason_as_one_sentence():
    assert RosterError("Give a reason.").reasons == ("Give a reason.",)


def test_it_keeps_a_catalog_refusals_fields_and_flattens_its_reasons():
    error = CatalogError({"capacity": ["Capacity must be at least 1."], "price": [FULL]})

    assert error.errors["capacity"] == ["Capacity must be at least 1."]
    assert error.reasons == ("Capacity must be at least 1.", FULL)


@pytest.mark.parametrize(
    "kind",
    [CatalogError, EnrollmentError, CardUnusable, RosterError, MarkError, CertificateActionError,
     LedgerError, ReviewError, ImportFileError, RulesFileError],
)  # fmt: skip
def test_it_makes_every_domain_refusal_an_application_error_with_its_own_code(kind):
    assert issubclass(kind, ApplicationError)
    assert kind.code != ApplicationError.code


def test_it_puts_each_reason_on_the_form_once():
    form = ReasonForm({"reason": "moved"})
    assert form.is_valid()

    error_on_form(form, EnrollmentError([FULL, CLOSED, FULL]))
    error_on_form(form, ReviewError("Say why."), "reason")

    assert form.non_field_errors() == [FULL, CLOSED]
    assert form.errors["reason"] == ["Say why."]


def test_it_shows_each_reason_as_one_error_message(rf):
    request = rf.post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    error_messages(request, EnrollmentError([FULL, CLOSED, FULL]))

    shown = [(m.message, m.level_tag) for m in get_messages(request)]
    assert shown == [(FULL, "error"), (CLOSED, "error")]


def test_it_answers_a_refusal_with_detail_reasons_and_code():
    assert error_body(EnrollmentError([FULL, CLOSED])) == {
        "detail": f"{FULL} {CLOSED}", "reasons": [FULL, CLOSED], "code": "enrollment_refused",
    }  # fmt: skip


class RefusingView(APIView):
    def get(self, request: object) -> Response:
        raise EnrollmentError([FULL, CLOSED])


def test_it_answers_a_refusal_inside_an_api_view_with_a_400_in_the_same_body():
    response = RefusingView.as_view()(APIRequestFactory().get("/api/v1/anything/"))

    assert response.status_code == 400
    assert response.data == error_body(EnrollmentError([FULL, CLOSED]))


def test_it_leaves_the_apis_other_errors_to_rest_framework():
    response = api_exception_handler(NotFound("No certificate has this code."), {})

    assert response.status_code == 404
    assert response.data == {"detail": "No certificate has this code."}
