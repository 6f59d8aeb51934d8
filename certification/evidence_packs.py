"""Evidence packs (issue 18, section 3): a learner's facts for one jurisdiction read from the
records (the ledger through the transcript's selector, licenses and hours through the
self-check's, the rule from the rule cache, the engine's verdict), frozen into a snapshot
(evidence_snapshot.py) with its hash, and checked again later: a pack is current while the
records still give the same snapshot for its as-of date."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from config.dates import provider_date
from config.errors import ApplicationError
from courses.models import Enrollment
from courses.services.completion import latest_results
from learners.jurisdictions import states_and_dc
from learners.ledger import TranscriptLine, transcript_lines
from learners.models import License
from learners.selectors import learner_display_name

from .certificate_pdf import verification_url
from .engine import evaluate
from .evidence_pack_pdf import entry_rows, evidence_pack_pdf_store, evidence_pack_render_later
from .evidence_snapshot import (
    AssessmentFact,
    CertificateFact,
    EntryFact,
    LicenseFact,
    OutsideFact,
    evidence_snapshot,
    snapshot_changes,
    snapshot_sha256,
)
from .learner_facts import learner_facts
from .models import Certificate, EvidencePack
from .rule_cache import rules_on_file

UNKNOWN_STATE = "Choose a US state or DC: “{code}” is not one."
# Rendered in the request up to this many entries (a DN-1 + DN-2 ledger has 6 to 20; the
# 300 ms budget is measured by benchmarks/evidence_pack.py); a longer ledger is handed to the
# task worker and the pack's page says it is being prepared.
INLINE_ENTRIES = 30


class EvidencePackError(ApplicationError):
    code = "evidence_pack_refused"


def _license(license: License | None) -> LicenseFact | None:
    if license is None:
        return None
    return LicenseFact(
        license.jurisdiction, license.profession.code, license.number, license.issued_on,
        license.expires_on, license.status,
    )  # fmt: skip


def _person(user: User | None) -> str:
    return learner_display_name(user) if user else ""


def _entry(line: TranscriptLine) -> EntryFact:
    entry = line.entry
    outside, training = None, entry.outside_training
    if training is not None:
        reviewed = provider_date(training.reviewed_at) if training.reviewed_at else None
        outside = OutsideFact(
            training.provider, training.title, training.started_on, training.ended_on,
            _person(training.reviewed_by), reviewed,
        )  # fmt: skip
    course = venue = signed_off_by = ""
    if entry.course_day_id:
        course = f"{entry.course_code} {entry.course_title}"
        venue = f"{entry.venue_name}, {entry.course_city}, {entry.venue_region}"
        sign_off = getattr(entry.course_day, "sign_off", None)
        signed_off_by = _person(sign_off.signed_off_by) if sign_off else ""
    return EntryFact(
        entry.pk, entry.date, entry.hours, entry.mode, entry.source, course, venue,
        signed_off_by, outside, entry.corrects_id, entry.note,
    )  # fmt: skip


def _assessments(learner: User) -> list[AssessmentFact]:
    enrollments = {
        e.pk: e
        for e in Enrollment.objects.filter(learner=learner).select_related(
            "offering__course", "offering__venue"
        )
    }
    results = latest_results(enrollments)
    facts = []
    for enrollment_id, result in sorted(results.items()):
        offering = enrollments[enrollment_id].offering
        facts.append(AssessmentFact(
            f"{offering.course.code} {offering.course.title}",
            f"{offering.venue.city}, {offering.venue.region}", result.written_score,
            result.practical_passed, provider_date(result.recorded_at),
        ))  # fmt: skip
    return facts


def _certificates(learner: User) -> list[CertificateFact]:
    return [
        CertificateFact(c.number, c.program.name, c.status, c.issued_on, verification_url(c))
        for c in Certificate.objects.filter(learner=learner)
        .select_related("program")
        .order_by("issued_at", "pk")
    ]


def evidence_facts(*, learner: User, jurisdiction: str, as_of: dt.date) -> dict[str, Any]:
    """The snapshot of the learner's facts for `jurisdiction` as the records give them now,
    measured as of `as_of`: the self-check's licenses and hours, the rule on file for the
    profession the learner is answered for there, and the engine's verdict."""
    facts = learner_facts(learner, today=as_of)
    rules = {rule.jurisdiction: rule for rule in rules_on_file(facts.profession_in(jurisdiction))}
    verdict = evaluate(
        rules[jurisdiction], hours=facts.hours, as_of=as_of,
        license_issued=facts.license_issued.get(jurisdiction),
    )  # fmt: skip
    return evidence_snapshot(
        name=learner_display_name(learner), verdict=verdict,
        license=_license(facts.licenses.get(jurisdiction)),
        entries=[_entry(line) for line in transcript_lines(learner=learner)],
        assessments=_assessments(learner), certificates=_certificates(learner),
    )  # fmt: skip


@transaction.atomic
def evidence_pack_create(*, learner: User, jurisdiction: str) -> EvidencePack:
    """A new pack of the learner's facts for `jurisdiction` as of today; its PDF is rendered
    now when it fits the request's budget, else by the task worker once this commits."""
    code = jurisdiction.strip().upper()
    if code not in states_and_dc():
        raise EvidencePackError(UNKNOWN_STATE.format(code=jurisdiction.strip()[:20]))
    now = timezone.now()
    snapshot = evidence_facts(learner=learner, jurisdiction=code, as_of=provider_date(now))
    pack = EvidencePack.objects.create(
        code=secrets.token_urlsafe(16),  # 128 bits: unguessable, like certificates'
        learner=learner, jurisdiction=code, profession=snapshot["rule"]["profession"],
        as_of=provider_date(now), produced_at=now, snapshot=snapshot,
        sha256=snapshot_sha256(snapshot),
    )  # fmt: skip
    if len(entry_rows(snapshot)) <= INLINE_ENTRIES:
        return evidence_pack_pdf_store(pack_id=pack.pk)
    evidence_pack_render_later(pack_id=pack.pk)
    return pack


def evidence_pack_get_for_user(*, user: User, pk: int) -> EvidencePack:
    """The user's own pack; anyone else's is a 404."""
    return get_object_or_404(EvidencePack, pk=pk, learner=user)


def evidence_packs_for_user(*, user: User) -> list[EvidencePack]:
    return list(EvidencePack.objects.filter(learner=user))


@dataclass(frozen=True)
class PackStanding:
    """Whether a pack still says what the records say (`changes` empty), else what moved."""

    changes: tuple[str, ...]

    @property
    def current(self) -> bool:
        return not self.changes

    @property
    def status(self) -> str:
        return "current" if self.current else "superseded"


def evidence_pack_standing(pack: EvidencePack) -> PackStanding:
    """Rebuild the pack's snapshot from today's records for its as-of date and compare: a
    later correction, a new entry in the window, a revoked certificate or a changed rule
    make it superseded."""
    learner = User.objects.select_related("learner_profile").get(pk=pack.learner_id)
    now = evidence_facts(learner=learner, jurisdiction=pack.jurisdiction, as_of=pack.as_of)
    return PackStanding(tuple(snapshot_changes(pack.snapshot, now)))
