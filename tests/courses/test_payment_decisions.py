"""A registrar decides a flagged payment without refunding it: places the learner in a seat
of the same course (confirmation email, queue cleared) or accepts it as it is; each with a
reason, kept and logged."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import ModelLogEntry

from courses.models import Enrollment, Payment
from operations.selectors import payments_needing_a_decision
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def flagged(learner):
    offering = catalog_offering(first_day=dt.date(2027, 3, 14), capacity=1)
    lapsed = Enrollment.objects.create(learner=learner, offering=offering, status="cancelled")
    return Payment.objects.create(
        enrollment=lapsed, amount_cents=89500, currency="usd", status="succeeded",
        attention_reason="Paid after the hold lapsed; no seat was free.",
    )  # fmt: skip


def _url(payment):
    return f"/admin/payments/{payment.pk}/refund/"


def test_placing_the_learner_in_a_seat_confirms_it_and_clears_the_queue(
    client, registrar, learner, flagged, mailoutbox, django_capture_on_commit_callbacks
):
    other = catalog_offering(first_day=dt.date(2027, 4, 11), venue=catalog_venue("Denver"))
    client.force_login(registrar)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(flagged),
            {"action": "place", "place-offering": other.pk, "place-reason": "Learner chose April"},
        )

    assert response.status_code == 302
    seat = Enrollment.objects.get(offering=other)
    assert (seat.learner, seat.status, seat.transferred_from) == (
        learner,
        "confirmed",
        flagged.enrollment,
    )
    flagged.refresh_from_db()
    assert flagged.decision.endswith("Learner chose April") and flagged.decided_by == registrar
    assert not payments_needing_a_decision().exists()
    assert mailoutbox[-1].to == [learner.email] and mailoutbox[-1].subject.startswith(
        "[DN Tracker] You're enrolled: DN-1"
    )
    assert ModelLogEntry.objects.filter(action="dn.payment.decided").exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [("full", "This offering is full."), ("other course", "Select a valid choice."),
     ("no reason", "This field is required.")],
)  # fmt: skip
def test_a_seat_that_cannot_be_given_is_refused_and_nothing_changes(
    client, registrar, other_learner, flagged, case, message
):
    if case == "full":
        target = flagged.enrollment.offering
        Enrollment.objects.create(learner=other_learner, offering=target, status="confirmed")
    elif case == "other course":
        target = catalog_offering(course=catalog_course("DN-2"), first_day=dt.date(2027, 5, 9))
    else:
        target = catalog_offering(first_day=dt.date(2027, 4, 11), venue=catalog_venue("Denver"))
    client.force_login(registrar)

    response = client.post(
        _url(flagged),
        {
            "action": "place",
            "place-offering": target.pk,
            "place-reason": "" if case == "no reason" else "x",
        },
    )

    assert message in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.decided_at is None
    assert not Enrollment.objects.filter(transferred_from=flagged.enrollment).exists()


def test_accepting_as_it_is_needs_a_reason_and_is_kept(client, registrar, flagged):
    client.force_login(registrar)

    client.post(
        _url(flagged),
        {"action": "accept", "accept-reason": "Paid by the clinic; seat given in person"},
    )

    flagged.refresh_from_db()
    assert flagged.decision == "Accepted as it is: Paid by the clinic; seat given in person"
    assert not payments_needing_a_decision().exists()
    again = client.post(_url(flagged), {"action": "accept", "accept-reason": "twice"})
    assert (
        "This payment was already decided" in again.content.decode()
        or "Decided by" in again.content.decode()
    )


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_decide(client, request, flagged, persona):
    client.force_login(request.getfixturevalue(persona))

    client.post(_url(flagged), {"action": "accept", "accept-reason": "x"})

    flagged.refresh_from_db()
    assert flagged.decided_at is None
