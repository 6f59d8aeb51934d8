"""Every writer, in any order, leaves the facts as the pure functions say they are.

Hypothesis drives random sequences of what people do, each through the page they would use
(Django's test client, real views, real services, localstripe for money): an instructor's
roster saves, sign-offs and corrections, assessments, a registrar's attendance import,
outside training submitted and reviewed, licenses added, verified, rejected and left to
expire, seat moves, learners' cancellations and registrars' refunds. After every step:

- each seat's status is what `completion_outcome` computes from the ledger, the latest
  assessment and the days' sign-offs, read straight from the tables;
- a learner whom `learner_progress` finds complete holds the certificate, and a certificate
  only ever appears when it does;
- no payment has refunds beyond what it took;
- the ledger only grew: every entry seen before is still there, unchanged;
- no page answered 500 (the test client re-raises any unhandled error).

The number of examples is bounded for `make test`; CI runs it on PostgreSQL too. Set
HYPOTHESIS_PROFILE=thorough for a longer local hunt.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from certification.models import Certificate
from certification.programs import learner_progress
from config.dates import provider_date
from courses.models import AssessmentResult, CourseDay, Enrollment, Payment, Refund
from courses.roster import CompletionFacts, completion_outcome
from courses.services.completion import STATUS_FOR_OUTCOME
from courses.services.enrollment import enrollment_hold
from courses.services.payments import payment_start
from learners.models import HoursEntry, License
from tests.conftest import STUDY_NOW, card_token
from tests.courses.test_enrollment_hold import licensed_learner
from tests.courses.test_payments import VISA
from tests.factories import catalog_course, catalog_offering, catalog_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("localstripe")]

settings.register_profile(
    "bounded", max_examples=8, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
settings.register_profile(
    "thorough", parent=settings.get_profile("bounded"), max_examples=200, stateful_step_count=30
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "bounded"))

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LEARNERS = 2
SEAT_STATUSES = set(Enrollment.SEAT_STATUSES)

hours = st.sampled_from(["0", "2.25", "4.5", "8.75", "9", "9.5", "25"])
learner_index = st.integers(0, LEARNERS - 1)


def _completion_expected(seat: Enrollment) -> str:
    """The seat's status recomputed from the tables by the pure completion rule."""
    days = CourseDay.objects.filter(offering_id=seat.offering_id).aggregate(
        days=Count("pk"), signed=Count("sign_off")
    )
    attended = HoursEntry.objects.filter(
        learner_id=seat.learner_id, course_day__offering_id=seat.offering_id
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    latest = AssessmentResult.objects.filter(enrollment=seat).order_by("-pk").first()
    course = seat.offering.course
    outcome = completion_outcome(
        CompletionFacts(
            hours_attended=attended, contact_hours=course.contact_hours,
            written_score=latest.written_score if latest else None,
            practical_passed=latest.practical_passed if latest else None,
            pass_mark=course.pass_mark, all_days_signed_off=days["days"] == days["signed"],
        )
    )  # fmt: skip
    return STATUS_FOR_OUTCOME[outcome]


def _review(verify: bool, reason: str) -> dict:
    return {"decision": "verify"} if verify else {"decision": "reject", "reason": reason}


class Operations(RuleBasedStateMachine):
    """One world per example, inside a savepoint rolled back at its end."""

    client_factory = None  # set by the test: a callable giving a signed-in test client
    people: dict = {}

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._travel: time_machine.travel | None = None
        self.now = STUDY_NOW
        self.ledger_seen: dict[int, tuple] = {}
        self.certified: set[int] = set()
        self.clients: dict = {}

    def teardown(self) -> None:
        if self._travel:
            self._travel.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- the world -----------------------------------------------------------------------

    @initialize()
    def world(self) -> None:
        self.instructor = self.people["instructor"]
        self.registrar = self.people["registrar"]
        richmond = catalog_venue("Richmond")
        dn1, dn2 = catalog_course("DN-1"), catalog_course("DN-2")
        self.past = [
            catalog_offering(course=dn1, venue=richmond, first_day=dt.date(2026, 10, 16),
                             status="closed", instructors=[self.instructor]),
            catalog_offering(course=dn2, venue=catalog_venue("Denver", "CO", "America/Denver"),
                             first_day=dt.date(2026, 11, 20), status="closed",
                             instructors=[self.instructor]),
        ]  # fmt: skip
        self.future = [
            catalog_offering(course=dn2, venue=richmond, first_day=dt.date(2027, 1, 15)),
            catalog_offering(course=dn2, venue=richmond, first_day=dt.date(2027, 3, 12)),
        ]
        self.learners = [licensed_learner() for _ in range(LEARNERS)]
        for learner in self.learners:
            for offering in self.past:
                Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
            held = enrollment_hold(learner=learner, offering_id=self.future[0].pk, now=STUDY_NOW)
            payment_start(learner=learner, enrollment_id=held.pk, card_id=card_token(VISA),
                          now=STUDY_NOW)  # fmt: skip
        self.days = list(
            CourseDay.objects.filter(offering__in=self.past)
            .order_by("date")
            .select_related("offering")
        )
        self.whole_course(0)  # DN-1 behind both; the first has a verified license too
        self.license_review(0, verify=True)
        self._remember_ledger()

    def _as(self, user):
        """One signed-in client per person for the example (an import's preview and its
        confirmation share a session)."""
        if user.pk not in self.clients:
            self.clients[user.pk] = self.client_factory()
            self.clients[user.pk].force_login(user)
        return self.clients[user.pk]

    def _post(self, user, url: str, data: dict | None = None):
        """A form post as `user`, its on-commit work (mail, re-evaluation) run as in
        production; a 500 or an unhandled error fails the example."""
        with self.capture(execute=True):
            response = self._as(user).post(url, data or {})
        assert response.status_code < 500, (url, response.status_code)
        return response

    def _seat(self, learner_i: int, offering) -> Enrollment | None:
        return (
            Enrollment.objects.filter(learner=self.learners[learner_i], offering=offering)
            .order_by("-pk")
            .first()
        )

    # -- instructors ---------------------------------------------------------------------

    @rule(day=st.integers(0, 5), marks=st.lists(
        st.tuples(st.sampled_from(["present", "partial", "absent"]), hours),
        min_size=LEARNERS, max_size=LEARNERS,
    ), sign_off=st.booleans(), reason=st.sampled_from(["", "Left at lunch"]))  # fmt: skip
    def roster(self, day, marks, sign_off, reason) -> None:
        day = self.days[day]
        data = {"reason": reason}
        for i, (mark, partial) in enumerate(marks):
            if seat := self._seat(i, day.offering):
                data[f"mark_{seat.pk}"] = mark
                data[f"hours_{seat.pk}"] = partial if mark == "partial" else ""
        if sign_off:
            data["sign_off"] = "1"
        self._post(self.instructor, f"/teach/offerings/{day.offering_id}/days/{day.pk}/", data)

    def _class_day(self, day: CourseDay) -> None:
        """The usual day: everyone on the roster present, the day signed off."""
        data = {"sign_off": "1"}
        for seat in Enrollment.objects.filter(offering=day.offering, status__in=SEAT_STATUSES):
            data[f"mark_{seat.pk}"] = "present"
        self._post(self.instructor, f"/teach/offerings/{day.offering_id}/days/{day.pk}/", data)

    @rule(day=st.integers(0, 5))
    def class_day(self, day) -> None:
        self._class_day(self.days[day])

    @rule(offering=st.integers(0, 1))
    def whole_course(self, offering) -> None:
        """Every day of the class as usual, then everyone passes both assessments."""
        offering = self.past[offering]
        for day in self.days:
            if day.offering_id == offering.pk:
                self._class_day(day)
        data = {}
        for seat in Enrollment.objects.filter(offering=offering, status__in=SEAT_STATUSES):
            data |= {f"written_{seat.pk}": "90", f"practical_{seat.pk}": "pass"}
        self._post(self.instructor, f"/teach/offerings/{offering.pk}/", data)

    @rule(offering=st.integers(0, 1), learner=learner_index,
          written=st.sampled_from(["", "55", "80", "100"]),
          practical=st.sampled_from(["", "pass", "fail"]))  # fmt: skip
    def assessments(self, offering, learner, written, practical) -> None:
        offering = self.past[offering]
        if seat := self._seat(learner, offering):
            self._post(self.instructor, f"/teach/offerings/{offering.pk}/", {
                f"written_{seat.pk}": written, f"practical_{seat.pk}": practical,
            })  # fmt: skip

    # -- registrars ----------------------------------------------------------------------

    @rule(day=st.integers(0, 5), learner=learner_index, amount=hours)
    def attendance_import(self, day, learner, amount) -> None:
        day = self.days[day]
        text = (
            "offering,date,learner_email,hours\n"
            f"{day.offering_id},{day.date:%Y-%m-%d},{self.learners[learner].email},{amount}\n"
        )
        upload = SimpleUploadedFile("rows.csv", text.encode(), "text/csv")
        self._post(self.registrar, "/admin/imports/",
                   {"kind": "attendance", "file": upload, "mode": "valid"})  # fmt: skip
        self._post(self.registrar, "/admin/imports/", {"confirm": "1"})

    @rule(learner=learner_index, verify=st.booleans())
    def license_review(self, learner, verify) -> None:
        license = License.objects.filter(learner=self.learners[learner]).order_by("-pk").first()
        self._post(self.registrar, f"/admin/licenses/{license.pk}/review/",
                   _review(verify, "Number not found"))  # fmt: skip

    @rule(learner=learner_index, to=st.integers(0, 1), waive=st.booleans())
    def seat_move(self, learner, to, waive) -> None:
        seat = self._seat(learner, self.future[0]) or self._seat(learner, self.future[1])
        if seat:
            data = {"offering": self.future[to].pk, "reason": "Asked by phone"}
            if waive:
                data["waive_difference"] = "on"
            self._post(self.registrar, f"/admin/enrollments/{seat.pk}/", data)

    @rule(learner=learner_index, amount=st.sampled_from(["0.01", "95.00", "447.50", "895.00",
                                                         "900.00"]))  # fmt: skip
    def refund(self, learner, amount) -> None:
        paid = Payment.objects.filter(enrollment__learner=self.learners[learner])
        payment = paid.order_by("-pk").first()
        if payment:
            self._post(self.registrar, f"/admin/payments/{payment.pk}/refund/",
                       {"amount": amount, "reason": "Goodwill", "action": "refund"})  # fmt: skip

    # -- learners ------------------------------------------------------------------------

    @rule(
        learner=learner_index,
        issued=st.sampled_from(["2019-05-01", "2030-01-01"]),
        expires=st.sampled_from(["2026-11-30", "2027-01-31", "2028-06-30", "2026-01-01"]),
    )
    def license_add(self, learner, issued, expires) -> None:
        from learners.models import Profession

        self._post(self.learners[learner], "/me/licenses/add/", {
            "profession": Profession.objects.get(code="PT").pk, "jurisdiction": "VA",
            "number": f"0101-{learner}-{expires}", "issued_on": issued, "expires_on": expires,
        })  # fmt: skip

    @rule(learner=learner_index, amount=hours, verify=st.booleans())
    def outside_training(self, learner, amount, verify) -> None:
        from learners.models import OutsideTraining

        self._post(self.learners[learner], "/me/outside-training/", {
            "provider": "Myopain Seminars", "title": f"Dry Needling {amount}",
            "started_on": "2026-11-21", "ended_on": "2026-11-21", "hours": amount,
            "in_person_hours": "0",
            "evidence": SimpleUploadedFile("certificate.pdf", PDF, "application/pdf"),
        })  # fmt: skip
        submitted = OutsideTraining.objects.filter(
            learner=self.learners[learner], status="submitted"
        ).first()
        if submitted:
            self._post(self.registrar, f"/admin/outside-training/{submitted.pk}/review/",
                       _review(verify, "No evidence"))  # fmt: skip

    @rule(learner=learner_index)
    def cancel(self, learner) -> None:
        for offering in self.future:
            if seat := self._seat(learner, offering):
                self._post(self.learners[learner], f"/me/enrollments/{seat.pk}/cancel/")

    @rule(days=st.sampled_from([1, 8, 40, 220]))
    def time_passes(self, days) -> None:
        """Licenses expire, refund tiers step down, 12-month windows move on."""
        self.now += dt.timedelta(days=days)
        if self._travel:
            self._travel.stop()
        self._travel = time_machine.travel(self.now, tick=False)
        self._travel.start()

    # -- what must hold after every step -------------------------------------------------

    def _remember_ledger(self) -> None:
        for pk, *row in HoursEntry.objects.values_list(
            "pk", "learner_id", "date", "hours", "mode", "source", "corrects_id"
        ):
            self.ledger_seen[pk] = tuple(row)

    @invariant()
    def seats_match_their_facts(self) -> None:
        if not hasattr(self, "learners"):
            return
        for seat in Enrollment.objects.filter(
            learner__in=self.learners, status__in=SEAT_STATUSES
        ).select_related("offering__course"):
            assert seat.status == _completion_expected(seat), (seat.pk, seat.offering)

    @invariant()
    def certificates_follow_progress(self) -> None:
        if not hasattr(self, "learners"):
            return
        program = self.people["program"]
        today = provider_date(self.now)
        holders = set(
            Certificate.objects.filter(program=program).values_list("learner_id", flat=True)
        )
        for learner in self.learners:
            progress, _, _ = learner_progress(learner, program, today=today)
            if progress.complete:
                assert learner.pk in holders, f"{learner} qualifies but holds no certificate"
            if learner.pk in holders and learner.pk not in self.certified:
                assert progress.complete, f"{learner} was certified without qualifying"
                self.certified.add(learner.pk)

    @invariant()
    def refunds_stay_within_payments(self) -> None:
        refunds = Refund.objects.exclude(status=Refund.Status.FAILED)
        for payment in Payment.objects.all():
            refunded = sum(refunds.filter(payment=payment).values_list("amount_cents", flat=True))
            assert refunded <= payment.amount_cents, f"payment {payment.pk} over-refunded"
        assert not Refund.objects.filter(amount_cents__lte=0).exists()

    @invariant()
    def ledger_only_grows(self) -> None:
        now = {
            pk: tuple(row)
            for pk, *row in HoursEntry.objects.values_list(
                "pk", "learner_id", "date", "hours", "mode", "source", "corrects_id"
            )
        }
        for pk, row in self.ledger_seen.items():
            assert now.get(pk) == row, f"ledger entry {pk} changed or vanished"
        self.ledger_seen = now


def test_every_writer_keeps_every_fact_in_step(
    instructor, registrar, program, settings, tmp_path, django_capture_on_commit_callbacks
):
    from tests.conftest import SignedInClient

    settings.MEDIA_ROOT = tmp_path
    Operations.client_factory = SignedInClient
    Operations.capture = staticmethod(django_capture_on_commit_callbacks)
    Operations.people = {"instructor": instructor, "registrar": registrar, "program": program}
    with time_machine.travel(STUDY_NOW, tick=False):
        run_state_machine_as_test(Operations, settings=PROFILE)
