"""Records nothing may rewrite (config/append_only.py): on SQLite and PostgreSQL alike, SQL
and the ORM (even its lowest level, `_base_manager.update()` and `_raw_delete()`) cannot
delete them or change them except by their named transitions; PostgreSQL refuses TRUNCATE
even to the tables' owner, and the app role cannot lift a guard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from simple_history.utils import update_change_reason
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from certification.certificates import certificate_rename, certificate_set_status
from certification.models import Certificate, EvidencePack, JurisdictionRule
from courses.models import (
    AssessmentResult,
    CEUApproval,
    Course,
    CourseDay,
    Enrollment,
    Offering,
    Payment,
    Refund,
    RefundTier,
    RosterSyncMark,
    Venue,
)
from learners.models import HoursEntry, LedgerImmutableError, Profession
from operations.audit import AuditLogImmutableError
from tests import database
from tests.factories import UserFactory, catalog_course, catalog_offering

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"
# The ORM guards of the ledger and the audit log may refuse before the database does.
REFUSED = (DatabaseError, LedgerImmutableError, AuditLogImmutableError)


def _enrollment(learner) -> Enrollment:
    return Enrollment.objects.create(
        learner=learner, offering=catalog_offering(), status="confirmed"
    )


def _sync_mark(learner, instructor) -> RosterSyncMark:
    seat = _enrollment(learner)
    return RosterSyncMark.objects.create(
        client_id="6f1c1f9e-3b8e-4d0e-9c55-3f0c2b1d7a10", kind="attendance",
        offering=seat.offering, enrollment=seat, recorded_by=instructor,
    )  # fmt: skip


def _payment(learner) -> Payment:
    return Payment.objects.create(
        enrollment=_enrollment(learner), amount_cents=89500, currency="usd"
    )


def _refund(learner) -> Refund:
    return Refund.objects.create(payment=_payment(learner), amount_cents=89500, currency="usd",
                                 source="override", reason="Duplicate charge.")  # fmt: skip


def _certificate(learner, program) -> Certificate:
    return Certificate.objects.create(
        program=program, learner=learner, number="CDN-2026-000001", verification_code="c0de",
        holder_name="Lena Ortiz", hours=Decimal(54), issued_at=timezone.now(),
        evidence={"courses": [{"code": "DN-1"}, {"code": "DN-2"}], "hours": {"total": "54"}},
    )  # fmt: skip


def _evidence_pack(learner) -> EvidencePack:
    return EvidencePack.objects.create(
        code="e-c0de", learner=learner, jurisdiction="VA", profession="PT",
        as_of=dt.date(2026, 11, 23), produced_at=timezone.now(), snapshot={"name": "Lena"},
        sha256="a" * 64,
    )  # fmt: skip


def _rule() -> JurisdictionRule:
    pt = Profession.objects.get(code="PT")
    return JurisdictionRule.objects.create(jurisdiction="VA", name="Virginia", profession=pt,
                                           status="permitted")  # fmt: skip


def _ceu_approval() -> CEUApproval:
    return CEUApproval.objects.create(
        course=catalog_course(), approving_body="VA Board", jurisdiction="VA",
        approval_number="A-1", hours=27,
    )  # fmt: skip


def _latest_history(model: type[models.Model]) -> Callable[[Any], models.Model]:
    def make(people: Any) -> models.Model:
        catalog_offering()
        _ceu_approval()
        return model.history.order_by("-history_id").first()

    return make


# table: (a row of it, given the personas; a column no UPDATE may change, a new value)
GUARDED: dict[str, tuple[Callable[[Any], models.Model], str, object]] = {
    "learners_hoursentry": (lambda p: HoursEntry.objects.create(
        learner=p.learner, date=dt.date(2026, 3, 14), hours=Decimal(9), mode="in_person",
        source="course_day", recorded_by=p.instructor), "hours", 27),
    "wagtailcore_modellogentry": (lambda p: log(
        instance=p.registrar, action="dn.export", user=p.registrar), "action", "x"),
    "wagtailcore_pagelogentry": (lambda p: log(
        instance=Page.objects.get(depth=2), action="wagtail.edit", user=p.registrar),
        "action", "x"),
    "courses_refund": (lambda p: _refund(p.learner), "amount_cents", 1),
    "courses_assessmentresult": (lambda p: AssessmentResult.objects.create(
        enrollment=_enrollment(p.learner), written_score=85, practical_passed=True,
        recorded_by=p.instructor), "written_score", 100),
    "courses_rostersyncmark": (lambda p: _sync_mark(p.learner, p.instructor), "kind", "checkin"),
    "certification_certificate": (lambda p: _certificate(p.learner, p.program), "number",
                                  "CDN-2026-999999"),
    "certification_evidencepack": (lambda p: _evidence_pack(p.learner), "snapshot", '{"x": 1}'),
    "certification_historicaljurisdictionrule": (lambda p: _rule().history.get(), "status",
                                                 "prohibited"),
    **{
        f"courses_historical{model.__name__.lower()}": (_latest_history(model), "history_type", "-")
        for model in (Course, CEUApproval, Venue, Offering, CourseDay, RefundTier)
    },
}  # fmt: skip


class People:
    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return self._request.getfixturevalue(name)


@pytest.fixture
def people(request: pytest.FixtureRequest) -> People:
    return People(request)


def _row(table: str, people: People) -> tuple[type[models.Model], models.Model, dict]:
    make, _, _ = GUARDED[table]
    row = make(people)
    model = type(row)
    assert model._meta.db_table == table
    return model, row, _values(model, row.pk)


def _values(model: type[models.Model], pk: object) -> dict:
    return model._base_manager.filter(pk=pk).values().get()


def _refused(action: Callable[[], object], errors: tuple = (DatabaseError,)) -> None:
    with pytest.raises(errors) as caught, transaction.atomic():
        action()
    if isinstance(caught.value, DatabaseError):
        assert "append-only" in str(caught.value)


def _sql(statement: str, params: list) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run


@pytest.mark.parametrize("table", GUARDED)
def test_it_refuses_sql_that_changes_or_deletes_a_row(table, people):
    model, row, before = _row(table, people)
    _, column, value = GUARDED[table]
    pk = model._meta.pk.column

    _refused(_sql(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [value, row.pk]))
    _refused(_sql(f"DELETE FROM {table} WHERE {pk} = %s", [row.pk]))
    _refused(_sql(f"DELETE FROM {table}", []))

    assert _values(model, row.pk) == before


@pytest.mark.parametrize("table", GUARDED)
def test_the_orm_cannot_change_or_delete_a_row_even_at_its_lowest_level(table, people):
    model, row, before = _row(table, people)
    _, column, value = GUARDED[table]
    rows = model._base_manager.filter(pk=row.pk)
    field = next(f for f in model._meta.concrete_fields if f.column == column)

    _refused(lambda: rows.update(**{field.attname: value}))
    _refused(lambda: rows._raw_delete(rows.db))
    _refused(lambda: rows.delete(), REFUSED)
    _refused(lambda: model._default_manager.filter(pk=row.pk).delete(), REFUSED)
    _refused(row.delete, REFUSED)

    assert _values(model, row.pk) == before


@pytest.mark.skipif(not POSTGRES, reason="TRUNCATE is PostgreSQL's; SQLite has DELETE only")
@pytest.mark.parametrize("table", [*GUARDED, "courses_payment"])
def test_postgresql_refuses_truncate_even_to_the_tables_owner(table):
    import psycopg

    # As the owner (who may TRUNCATE): only the trigger stands in the way. CASCADE: the
    # tables that refer to this one are emptied too, or it would fail on them first.
    with pytest.raises(psycopg.errors.RaiseException, match="append-only: .*TRUNCATE"):
        with database.owner_connection() as conn:
            conn.execute(f"TRUNCATE {table} CASCADE")


def test_a_payment_follows_stripe_but_is_never_deleted(learner):
    payment = _payment(learner)
    rows = Payment._base_manager.filter(pk=payment.pk)

    rows.update(status="succeeded", stripe_charge_id="ch_1")
    _refused(_sql("DELETE FROM courses_payment WHERE id = %s", [payment.pk]))
    _refused(lambda: rows._raw_delete(rows.db))
    _refused(payment.delete)

    assert rows.values_list("status", "stripe_charge_id").get() == ("succeeded", "ch_1")


def test_a_refund_settles_once_with_stripe_and_never_changes_again(learner):
    refund = _refund(learner)
    rows = Refund._base_manager.filter(pk=refund.pk)
    _refused(lambda: rows.update(amount_cents=100))  # not even while pending

    rows.update(status="succeeded", stripe_refund_id="re_1")  # as refund_send does

    for change in ({"status": "failed"}, {"status": "pending"}, {"stripe_refund_id": "re_2"}):
        _refused(lambda change=change: rows.update(**change))
    assert rows.values_list("status", "stripe_refund_id", "amount_cents").get() == (
        "succeeded", "re_1", 89500,
    )  # fmt: skip


def test_a_certificate_is_revoked_reinstated_and_renamed_through_its_services(
    learner, registrar, program
):
    certificate = _certificate(learner, program)
    before = _values(Certificate, certificate.pk)

    certificate_set_status(certificate_id=certificate.pk, valid=False, reason="Lapsed license",
                           registrar=registrar)  # fmt: skip
    certificate_set_status(certificate_id=certificate.pk, valid=True, reason="License renewed",
                           registrar=registrar)  # fmt: skip
    certificate_rename(certificate_id=certificate.pk, name="Lena Ortiz-Vance",
                       reason="Married name", registrar=registrar)  # fmt: skip

    after = _values(Certificate, certificate.pk)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {
        "status_reason", "status_changed_at", "status_changed_by_id", "holder_name", "updated_at",
    }  # fmt: skip
    assert (after["status"], after["holder_name"]) == ("valid", "Lena Ortiz-Vance")


@pytest.mark.parametrize(("column", "value"), [
    ("number", "CDN-2026-000002"), ("verification_code", "guessable"),
    ("issued_at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), ("hours", Decimal(27)),
    ("evidence", {"courses": []}), ("learner_id", None), ("program_id", None),
])  # fmt: skip
def test_a_certificate_keeps_what_it_was_issued_on(column, value, learner, other_learner, program):
    certificate = _certificate(learner, program)
    value = {"learner_id": other_learner.pk, "program_id": -1}.get(column, value)
    rows = Certificate._base_manager.filter(pk=certificate.pk)
    before = _values(Certificate, certificate.pk)

    _refused(lambda: rows.update(**{column: value}))

    assert _values(Certificate, certificate.pk) == before


def test_an_evidence_pack_takes_its_pdf_once_and_keeps_what_it_was_built_from(learner):
    pack = _evidence_pack(learner)
    rows = EvidencePack._base_manager.filter(pk=pack.pk)

    rows.update(pdf_name="evidence/1/a.pdf", pdf_sha256="b" * 64)  # rendered: set once

    _refused(lambda: rows.update(pdf_name="evidence/1/other.pdf"))
    _refused(lambda: rows.update(sha256="c" * 64))
    assert rows.get().pdf_name == "evidence/1/a.pdf"


def test_history_takes_its_change_reason_once_and_outlives_its_editor():
    editor = UserFactory()
    rule = JurisdictionRule(jurisdiction="VA", name="Virginia", status="permitted",
                            profession=Profession.objects.get(code="PT"))  # fmt: skip
    rule._history_user = editor
    rule.save()

    update_change_reason(rule, "Loaded from rules.json")  # as load_rules does
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        update_change_reason(rule, "Rewritten")
    editor.delete()  # the history keeps the row; only who made it is forgotten (SET_NULL)

    version = rule.history.get()
    assert (version.history_change_reason, version.history_user_id) == (
        "Loaded from rules.json", None,
    )  # fmt: skip


@pytest.mark.usefixtures("migrated_db")
def test_flush_empties_guarded_tables_for_tests_and_leaves_the_guards_on(registrar):
    """Transactional tests (live server, threads) are flushed between tests: the guards are
    lifted for that, as the owner, and back on afterwards."""
    log(instance=registrar, action="dn.export", user=registrar)

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert not ModelLogEntry.objects.exists() and not PageLogEntry.objects.exists()
    ContentType.objects.clear_cache()  # the flush took the content types too
    entry = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(ModelLogEntry), object_id="1",
        label="After the flush", action="dn.export", timestamp=timezone.now(),
    )  # fmt: skip
    _refused(_sql("DELETE FROM wagtailcore_modellogentry WHERE id = %s", [entry.pk]))


def _runs_as_app_role() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user <> tableowner FROM pg_tables WHERE tablename = %s",
            ["learners_hoursentry"],
        )
        return cursor.fetchone()[0]


def test_the_app_role_cannot_lift_a_guard():
    if not POSTGRES or not _runs_as_app_role():
        pytest.skip("needs PostgreSQL with the owner/app role split (scripts/with-postgres)")
    table, trigger = "learners_hoursentry", "learners_hoursentry_append_only"
    attempts = [
        f"ALTER TABLE {table} DISABLE TRIGGER {trigger}",
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"DROP TRIGGER {trigger} ON {table}",
        f"DROP FUNCTION {trigger}()",
        f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger"
        " AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
        f"TRUNCATE {table}",
        f"DROP TABLE {table}",
        "SET session_replication_role = replica",  # would silence every trigger
    ]
    for sql in attempts:
        with pytest.raises(DatabaseError, match="must be owner|permission denied"):
            with transaction.atomic():
                _sql(sql, [])()

    with connection.cursor() as cursor:
        cursor.execute("""SELECT relname FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND (
                has_table_privilege(oid, 'TRUNCATE') OR has_table_privilege(oid, 'TRIGGER')
                OR has_table_privilege(oid, 'REFERENCES'))""")
        assert cursor.fetchall() == []


def test_grant_app_role_refuses_a_role_that_could_lift_the_guards():
    if not POSTGRES:
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("grant_app_role", "dn_app")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'learners_hoursentry'")
        (owner,) = cursor.fetchone()

    with pytest.raises(CommandError, match="There is no role 'nobody_here'"):
        call_command("grant_app_role", "nobody_here")
    if _runs_as_app_role():  # the owner as the app role: it owns every table
        with pytest.raises(CommandError, match=f"'{owner}' owns tables .*learners_hoursentry"):
            call_command("grant_app_role", owner)
    else:
        with pytest.raises(CommandError, match="is the role running this command"):
            call_command("grant_app_role", owner)
