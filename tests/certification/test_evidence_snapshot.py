"""An evidence pack's snapshot and its comparison (certification/evidence_snapshot.py), and the
engine's answer to which entries a row counted: pure data in and out, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from certification.engine import Citation, Requirement, Rule, RuleStatus, evaluate
from certification.evidence_snapshot import (
    CertificateFact,
    EntryFact,
    LicenseFact,
    OutsideFact,
    canonical_json,
    evidence_snapshot,
    snapshot_changes,
    snapshot_sha256,
)
from certification.windows import Hours

D = Decimal
AS_OF = dt.date(2026, 11, 23)
RULE = Rule(
    "VA", "Virginia", "PT", RuleStatus.PERMITTED,
    (Requirement("Training", D(54), D(27), window_months=12),),
    ("Written referral for each patient",),
    (Citation("https://example.test/va", "18VAC112-20-121", "2020", "54 hours"),),
    dt.date(2020, 1, 1), dt.date(2026, 11, 1),
)  # fmt: skip
LICENSE = LicenseFact("VA", "PT", "0101-1", dt.date(2019, 5, 1), dt.date(2028, 6, 30), "verified")
CERTIFICATE = CertificateFact(
    "CDN-2026-000001", "Certification in Dry Needling", "valid", dt.date(2026, 9, 14),
    "https://dn.test/verify/abc/",
)  # fmt: skip


def course_day(entry_id: int, date: str, hours: int = 9, **extra) -> EntryFact:
    return EntryFact(
        entry_id, dt.date.fromisoformat(date), D(hours), "in_person", "course_day",
        course="DN-1 Dry Needling 1", venue="Clinic Hall, Richmond, VA",
        signed_off_by="Ana Instructor", **extra,
    )  # fmt: skip


OUTSIDE = EntryFact(
    9, dt.date(2026, 6, 1), D(6), "online", "outside",
    outside=OutsideFact("APTA", "Needling safety", dt.date(2026, 5, 31), dt.date(2026, 6, 1),
                        "Rita Registrar", dt.date(2026, 6, 3)),
)  # fmt: skip
LEDGER = [
    course_day(1, "2024-02-10"),  # outside the 12-month window the engine reports
    course_day(2, "2026-03-14"), course_day(3, "2026-03-15"), course_day(4, "2026-03-16"),
    OUTSIDE,
    course_day(5, "2026-09-12"), course_day(6, "2026-09-13"), course_day(7, "2026-09-14"),
]  # fmt: skip


def snapshot(entries=LEDGER, *, rule=RULE, certificates=(CERTIFICATE,), as_of=AS_OF, **kw):
    hours = [Hours(e.date, e.hours, e.hours if e.mode == "in_person" else D(0)) for e in entries]
    verdict = evaluate(rule, hours=hours, license_issued=LICENSE.issued_on, as_of=as_of)
    return evidence_snapshot(
        name=kw.get("name", "Jordan Avery Lee"), verdict=verdict, license=LICENSE,
        entries=entries, assessments=(), certificates=certificates,
    )  # fmt: skip


def test_it_lists_the_entries_behind_the_hours_in_the_engines_window():
    block = snapshot()["requirements"][0]

    assert block["window"] == {"start": "2026-03-14", "last_day": "2027-03-13"}
    assert [e["id"] for e in block["entries"]] == [2, 3, 4, 9, 5, 6, 7]  # not 2024's
    counted = {row["code"]: row["counted"] for row in block["rows"]}
    assert counted == {"total_hours": "60", "in_person_hours": "54"}
    assert sum(D(e["hours"]) for e in block["entries"]) == D(counted["total_hours"])


def test_it_keeps_what_a_board_reads_of_each_entry():
    entries = {e["id"]: e for e in snapshot()["requirements"][0]["entries"]}

    assert entries[2]["venue"] == "Clinic Hall, Richmond, VA"
    assert entries[2]["signed_off_by"] == "Ana Instructor"
    assert entries[9]["mode"] == "online"
    assert entries[9]["outside"] == {
        "provider": "APTA", "title": "Needling safety", "started_on": "2026-05-31",
        "ended_on": "2026-06-01", "verified_by": "Rita Registrar", "verified_on": "2026-06-03",
    }  # fmt: skip


def test_it_carries_the_rule_its_dates_and_the_conditions():
    facts = snapshot()

    assert facts["rule"]["citations"][0]["title"] == "18VAC112-20-121"
    assert (facts["rule"]["effective_date"], facts["rule"]["last_reviewed"]) == (
        "2020-01-01", "2026-11-01",
    )  # fmt: skip
    assert facts["conditions"] == ["Written referral for each patient"]
    assert facts["status"] == "eligible_if"
    assert facts["license"]["number"] == "0101-1"


def test_entries_after_the_as_of_date_never_count():
    later = course_day(8, "2026-11-24")

    block = snapshot([*LEDGER, later])["requirements"][0]

    assert 8 not in [e["id"] for e in block["entries"]]


def test_the_same_facts_in_any_order_give_the_same_hash():
    assert snapshot_sha256(snapshot()) == snapshot_sha256(snapshot(list(reversed(LEDGER))))
    assert canonical_json(snapshot()) == canonical_json(snapshot())


def test_an_unchanged_record_has_no_changes():
    assert snapshot_changes(snapshot(), snapshot()) == []


def test_a_correction_in_the_window_supersedes_the_pack():
    correction = EntryFact(10, dt.date(2026, 3, 16), D(-2), "in_person", "correction",
                           corrects=4, note="Left at noon")  # fmt: skip

    changes = snapshot_changes(snapshot(), snapshot([*LEDGER, correction]))

    assert "A correction of 2026-03-16's hours was recorded." in changes


def test_a_new_entry_in_the_window_supersedes_it_and_one_outside_does_not():
    in_window = course_day(11, "2026-10-01", 3)
    before_window = course_day(12, "2024-01-05", 3)

    assert snapshot_changes(snapshot(), snapshot([*LEDGER, in_window])) == [
        "Hours dated 2026-10-01 now count."
    ]
    assert snapshot_changes(snapshot(), snapshot([*LEDGER, before_window])) == []


def test_a_revoked_certificate_supersedes_it():
    revoked = CertificateFact(**{**CERTIFICATE.__dict__, "status": "revoked"})

    changes = snapshot_changes(snapshot(), snapshot(certificates=(revoked,)))

    assert changes == ["Certificate CDN-2026-000001 is now revoked."]


def test_a_changed_rule_supersedes_it():
    reviewed = Rule(**{**RULE.__dict__, "last_reviewed": dt.date(2026, 11, 20)})

    assert snapshot_changes(snapshot(), snapshot(rule=reviewed)) == [
        "The state's rule on file changed."
    ]


def test_a_rule_that_now_asks_more_changes_what_it_shows():
    stricter = Rule(**{**RULE.__dict__, "requirements": (Requirement("Training", D(80)),)})

    changes = snapshot_changes(snapshot(), snapshot(rule=stricter))

    assert changes[0] == "The state's rule on file changed."
    assert "The eligibility it shows changed." in changes


DATES = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 1, 31))
LEDGERS = st.lists(st.tuples(DATES, st.integers(1, 36), st.booleans()), max_size=25)


@settings(max_examples=60, deadline=None)
@given(LEDGERS, st.sampled_from([None, 1, 6, 12, 24]))
def test_the_listed_entries_add_up_to_what_the_engine_counted(ledger, months):
    entries = [
        EntryFact(i, date, D(q) / 4, "in_person" if person else "online", "course_day")
        for i, (date, q, person) in enumerate(ledger)
    ]
    rule = Rule(**{**RULE.__dict__, "requirements": (
        Requirement("Training", D(54), D(27), window_months=months),
    )})  # fmt: skip

    block = snapshot(entries, rule=rule)["requirements"][0]

    counted = {row["code"]: D(row["counted"]) for row in block["rows"]}
    listed = block["entries"]
    assert sum((D(e["hours"]) for e in listed), D(0)) == counted["total_hours"]
    in_person = sum((D(e["hours"]) for e in listed if e["mode"] == "in_person"), D(0))
    assert in_person == counted["in_person_hours"]
