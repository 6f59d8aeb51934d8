"""The facts an evidence pack is built from (issue 18, section 3), as one canonical snapshot:
pure, data in and a JSON-ready dict out, no ORM, no clock. The pack's hash is the SHA-256 of
that snapshot, and a pack is still current while the same facts, read again from today's
records for the same as-of date, give the same snapshot (`snapshot_changes` says what moved).

Which entries stand behind a requirement is the engine's answer (`Verdict.counts`), never a
second measurement of windows here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from learners.hours import format_hours

from .engine import Row, Verdict

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class LicenseFact:
    jurisdiction: str
    profession: str
    number: str
    issued_on: dt.date
    expires_on: dt.date
    status: str  # unverified, verified


@dataclass(frozen=True)
class OutsideFact:
    provider: str
    title: str
    started_on: dt.date
    ended_on: dt.date
    verified_by: str
    verified_on: dt.date | None


@dataclass(frozen=True)
class EntryFact:
    """One ledger entry: a course day's (course, venue, who signed the day off), verified
    outside training, or a correction of another entry (`corrects`)."""

    id: int
    date: dt.date
    hours: Decimal
    mode: str  # in_person, online
    source: str  # course_day, outside, correction
    course: str = ""
    venue: str = ""
    signed_off_by: str = ""
    outside: OutsideFact | None = None
    corrects: int | None = None
    note: str = ""


@dataclass(frozen=True)
class AssessmentFact:
    course: str
    offering: str  # dates and city, e.g. "14–16 March 2026, Richmond"
    written_score: int | None
    practical_passed: bool | None
    recorded_on: dt.date


@dataclass(frozen=True)
class CertificateFact:
    number: str
    program: str
    status: str  # valid, revoked
    issued_on: dt.date
    verify_url: str


def _day(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _hours(value: Decimal) -> str:
    return format_hours(value)


def _hours_or_none(value: Decimal | None) -> str | None:
    return None if value is None else _hours(value)


def _entry(entry: EntryFact) -> dict[str, Any]:
    outside = entry.outside
    return {
        "id": entry.id, "date": _day(entry.date), "hours": _hours(entry.hours),
        "mode": entry.mode, "source": entry.source, "course": entry.course,
        "venue": entry.venue, "signed_off_by": entry.signed_off_by,
        "corrects": entry.corrects, "note": entry.note,
        "outside": None if outside is None else {
            "provider": outside.provider, "title": outside.title,
            "started_on": _day(outside.started_on), "ended_on": _day(outside.ended_on),
            "verified_by": outside.verified_by, "verified_on": _day(outside.verified_on),
        },
    }  # fmt: skip


def _row(row: Row) -> dict[str, Any]:
    return {
        "code": row.code, "required": _hours(row.required), "counted": _hours(row.counted),
        "missing": _hours(row.missing), "met": row.met,
    }  # fmt: skip


def _requirements(verdict: Verdict, entries: Sequence[EntryFact]) -> list[dict[str, Any]]:
    """A requirement's rows share its label and window: one block each, in the rule's order,
    with the entries behind its hour rows."""
    blocks: dict[str, dict[str, Any]] = {}
    for row in verdict.requirements:
        block = blocks.setdefault(row.requirement, {
            "label": row.requirement, "rows": [], "window": None, "entries": [],
        })  # fmt: skip
        block["rows"].append(_row(row))
        if row.code != "total_hours":  # the in-person row shares the total's window
            continue
        if row.window is not None and row.window.start is not None:
            block["window"] = {
                "start": _day(row.window.start),
                "last_day": _day(row.window.last_day),
            }
        block["entries"] = [_entry(e) for e in entries if verdict.counts(row, e.date)]
    return list(blocks.values())


def _rule(verdict: Verdict) -> dict[str, Any]:
    rule = verdict.rule
    return {
        "jurisdiction": rule.jurisdiction, "name": rule.name, "profession": rule.profession,
        "status": str(rule.status), "conditions": list(rule.conditions),
        "requirements": [
            {"label": r.label, "min_total_hours": _hours_or_none(r.min_total_hours),
             "min_in_person_hours": _hours(r.min_in_person_hours),
             "window_months": r.window_months, "prior_practice_years": r.prior_practice_years}
            for r in rule.requirements
        ],
        "effective_date": _day(rule.effective_date), "last_reviewed": _day(rule.last_reviewed),
        "citations": [
            {"url": c.url, "title": c.title, "date": c.date, "quote": c.quote}
            for c in rule.citations
        ],
    }  # fmt: skip


def evidence_snapshot(
    *, name: str, verdict: Verdict, license: LicenseFact | None, entries: Sequence[EntryFact],
    assessments: Sequence[AssessmentFact], certificates: Sequence[CertificateFact],
) -> dict[str, Any]:  # fmt: skip
    """The pack's facts for one jurisdiction as of the verdict's date: plain JSON values only
    (dates as ISO text, hours as text), so equal facts give equal snapshots and hashes."""
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": _day(verdict.as_of),
        "name": name,
        "license": None if license is None else {
            "jurisdiction": license.jurisdiction, "profession": license.profession,
            "number": license.number, "issued_on": _day(license.issued_on),
            "expires_on": _day(license.expires_on), "status": license.status,
        },
        "rule": _rule(verdict),
        "status": verdict.display_status,
        "requirements": _requirements(verdict, sorted(entries, key=lambda e: (e.date, e.id))),
        "conditions": list(verdict.conditions),
        "assessments": [
            {"course": a.course, "offering": a.offering, "written_score": a.written_score,
             "practical_passed": a.practical_passed, "recorded_on": _day(a.recorded_on)}
            for a in assessments
        ],
        "certificates": [
            {"number": c.number, "program": c.program, "status": c.status,
             "issued_on": _day(c.issued_on), "verify_url": c.verify_url}
            for c in certificates
        ],
    }  # fmt: skip


def canonical_json(snapshot: dict[str, Any]) -> str:
    """One text per snapshot: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode()).hexdigest()


def _entries_by_id(snapshot: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {e["id"]: e for block in snapshot["requirements"] for e in block["entries"]}


def _entry_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before, after = _entries_by_id(old), _entries_by_id(new)
    changes = []
    for entry_id in sorted(after.keys() - before.keys()):
        entry = after[entry_id]
        if entry["corrects"] is not None:
            changes.append(f"A correction of {entry['date']}'s hours was recorded.")
        else:
            changes.append(f"Hours dated {entry['date']} now count.")
    for entry_id in sorted(before.keys() - after.keys()):
        changes.append(f"Hours dated {before[entry_id]['date']} no longer count.")
    return changes


def _certificate_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before = {c["number"]: c for c in old["certificates"]}
    after = {c["number"]: c for c in new["certificates"]}
    changes = []
    for number, certificate in sorted(after.items()):
        was = before.get(number)
        if was is None:
            changes.append(f"Certificate {number} was issued.")
        elif was["status"] != certificate["status"]:
            changes.append(f"Certificate {number} is now {certificate['status']}.")
        elif was != certificate:
            changes.append(f"Certificate {number} changed.")
    return changes


SECTION_CHANGES = (
    ("name", "The learner's name on record changed."),
    ("license", "The license on record changed."),
    ("rule", "The state's rule on file changed."),
    ("assessments", "An assessment result changed."),
)


def snapshot_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between a pack's snapshot and one rebuilt from today's records, in
    sentences a verifier may read (nothing they could not see on the pack): empty when the
    pack is still current."""
    if old == new:
        return []
    changes = [sentence for key, sentence in SECTION_CHANGES if old.get(key) != new.get(key)]
    changes += _entry_changes(old, new)
    if not changes and old.get("requirements") != new.get("requirements"):
        changes.append("The hours counted changed.")
    if old.get("status") != new.get("status"):
        changes.append("The eligibility it shows changed.")
    changes += _certificate_changes(old, new)
    return changes or ["The facts it was built from changed."]
