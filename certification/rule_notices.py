"""Rule-change alerts (issue 18, section 2): after `rules.rules_save` commits a change, every
learner whose verdict for that jurisdiction and profession moved gets one dashboard notice and,
unless they opted out, one email. `rule_changes_alert` is called by `rules_save` (the one
writer of rules) with each rule's version before and after; the rest runs on the task worker:
one task records the change (`RuleChange`, once per rule version) and finds the learners
counted there (a current license for that profession); one task per batch of them
re-evaluates both versions (rule_alerts.py, pure) with the batching and facts loading of the
certification re-evaluation; one task per batch emails those it noticed.

A notice is unique per learner and change, so a batch run again adds none; its email is
claimed (`emailed_at`, committed) before it is sent, so an email task that dies after sending
never sends it twice (at most one email: one lost to a crash beats two)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from config.dates import provider_today
from config.site import email_context, email_subject, site_url
from learners.models import License, Profession, RuleChange, RuleChangeNotice
from learners.selectors import learner_display_name, license_is_current

from . import rules
from .engine import Rule, RuleStatus
from .learner_facts import learners_days, licenses_counted_in
from .models import JurisdictionRule
from .plan_views import plan_url
from .reevaluation import BATCH_SIZE, learner_batches
from .rule_alerts import (
    VERDICT_WORDS,
    rule_changes_in_words,
    rule_may_move_verdicts,
    verdict_change,
)
from .windows import Days

History = JurisdictionRule.history.model


@dataclass(frozen=True)
class RuleVersions:
    """A rule's version before a change (None: the rule is new, "no rule" before) and after."""

    before: Rule
    after: Rule
    before_version: int | None
    after_version: int
    rule_id: int
    reason: str


def rule_changes_alert(*, versions: Sequence[tuple[int | None, int]]) -> None:
    """Called by `rules_save` with (history id before, history id after) for each rule it
    wrote: once the transaction commits, a task looks for the learners to tell."""
    if versions:
        pairs = [[before, after] for before, after in versions]
        transaction.on_commit(lambda: rule_change_alerts_start.enqueue(versions=pairs))


def _rule_versions(pairs: Sequence[Sequence[int | None]]) -> list[RuleVersions]:
    """Both versions of each changed rule as the engine takes them, in two queries."""
    ids = [pk for pair in pairs for pk in pair if pk is not None]
    codes = dict(Profession.objects.values_list("pk", "code"))
    found = {}
    for version in History.objects.filter(history_id__in=ids):
        row = version.instance
        row.profession = Profession(pk=row.profession_id, code=codes[row.profession_id])
        found[version.history_id] = (rules.rule_from_model(row), version)
    changes = []
    for before_id, after_id in pairs:
        after, version = found[after_id]
        before = (
            found[before_id][0] if before_id is not None
            else Rule(after.jurisdiction, after.name, after.profession, RuleStatus.NO_RULE)
        )  # fmt: skip
        changes.append(RuleVersions(before, after, before_id, after_id, version.id,
                                    version.history_change_reason or ""))  # fmt: skip
    return changes


def licensed_learners(jurisdiction: str, profession: str, *, today: dt.date) -> QuerySet[User]:
    """The accounts holding a current license in `jurisdiction` for `profession`: those the
    self-check answers for there with that profession (batches check which license counts)."""
    licenses = License.objects.filter(
        license_is_current(today=today), jurisdiction=jurisdiction, profession__code=profession
    )
    return User.objects.filter(pk__in=licenses.values("learner_id"))


def _rule_change_record(change: RuleVersions) -> RuleChange:
    """The change as notices show it, written once per rule version."""
    record, _ = RuleChange.objects.get_or_create(version=change.after_version, defaults={
        "rule_id": change.rule_id, "previous_version": change.before_version,
        "jurisdiction_name": change.after.name, "profession": change.after.profession,
        "changes": rule_changes_in_words(change.before, change.after),
        "reason": change.reason[:200], "guide_url": _guide_url(change.after.jurisdiction),
        "sources": [{"title": c.title or c.url, "url": c.url} for c in change.after.citations],
    })  # fmt: skip
    return record


@task()
def rule_change_alerts_start(
    *, versions: list[list[int | None]], batch_size: int = BATCH_SIZE
) -> int:
    """Enqueue one batch task per `batch_size` learners counted under each changed rule that
    can move a verdict; returns how many batches."""
    today, batches = provider_today(), 0
    for change in _rule_versions(versions):
        if not rule_may_move_verdicts(change.before, change.after):
            continue
        learners = licensed_learners(change.after.jurisdiction, change.after.profession,
                                     today=today)  # fmt: skip
        record = None
        for batch in learner_batches(size=batch_size, learners=learners):
            record = record or _rule_change_record(change)
            rule_change_alerts_batch_task.enqueue(
                change_id=record.pk, learner_ids=batch, as_of=today.isoformat()
            )
            batches += 1
    return batches


def _guide_url(jurisdiction: str) -> str:
    from cms.models import StateGuidePage  # cms builds on the rules: imported when used

    guide = StateGuidePage.objects.live().filter(jurisdiction=jurisdiction).first()
    return (guide.get_url() if guide else None) or reverse("my_eligibility")


def planner_url(notice: RuleChangeNotice) -> str:
    """My plan for the notice's state when the change left the learner "not yet"; else ""."""
    return plan_url([notice.change.rule.jurisdiction]) if notice.new_status == "not_yet" else ""


def rule_change_alerts_batch(*, change_id: int, learner_ids: list[int], as_of: dt.date) -> int:
    """Re-evaluate these learners under both versions of the rule; record a notice for each
    whose verdict moved and queue their emails. Returns how many notices were new."""
    record = RuleChange.objects.get(pk=change_id)
    [change] = _rule_versions([(record.previous_version, record.version)])
    before, after = change.before, change.after
    counted = licenses_counted_in(after.jurisdiction, learner_ids, today=as_of)
    counted = {pk: issued for pk, (code, issued) in counted.items() if code == after.profession}
    hours = learners_days(counted, as_of=as_of)
    notices = []
    for learner_id, issued in counted.items():
        moved = verdict_change(
            before, after, hours=hours.get(learner_id) or Days(()), license_issued=issued,
            as_of=as_of,
        )  # fmt: skip
        if moved:
            notices.append(RuleChangeNotice(
                learner_id=learner_id, change_id=change_id, old_status=moved.old_status,
                new_status=moved.new_status, moved=moved.moved,
            ))  # fmt: skip
    if not notices:
        return 0
    existing = set(
        RuleChangeNotice.objects.filter(
            change_id=change_id, learner_id__in=[n.learner_id for n in notices]
        ).values_list("learner_id", flat=True)
    )
    # A batch run again finds its notices there; two runs at once meet the constraint.
    RuleChangeNotice.objects.bulk_create(
        [n for n in notices if n.learner_id not in existing], ignore_conflicts=True
    )
    # Emails go apart: building and delivering mail is not the re-evaluation's time.
    rule_change_emails_send_task.enqueue(
        change_id=change_id, learner_ids=[n.learner_id for n in notices]
    )
    return len(notices) - len(existing)


@task()
def rule_change_alerts_batch_task(*, change_id: int, learner_ids: list[int], as_of: str) -> int:
    return rule_change_alerts_batch(
        change_id=change_id, learner_ids=learner_ids, as_of=dt.date.fromisoformat(as_of)
    )


def _claim_emails(*, change_id: int, learner_ids: list[int]) -> list[RuleChangeNotice]:
    """The notices still to email (learners who did not opt out), marked emailed and
    committed before any is sent: whatever happens next, none is sent twice."""
    with transaction.atomic():
        due = list(
            RuleChangeNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(change_id=change_id, learner_id__in=learner_ids,
                    emailed_at__isnull=True)
            .filter(Q(learner__learner_profile__isnull=True)
                    | Q(learner__learner_profile__rule_change_emails=True))
            .select_related("learner__learner_profile", "change__rule")
        )  # fmt: skip
        RuleChangeNotice.objects.filter(pk__in=[n.pk for n in due]).update(
            emailed_at=timezone.now()
        )
    return due


def _email(notice: RuleChangeNotice) -> EmailMessage:
    base = site_url()
    body = render_to_string("certification/email/rule_changed.txt", {
        **email_context(), "notice": notice, "name": learner_display_name(notice.learner),
        "old": VERDICT_WORDS.get(notice.old_status, notice.old_status),
        "new": VERDICT_WORDS.get(notice.new_status, notice.new_status),
        "change": notice.change, "guide_url": base + notice.change.guide_url,
        "planner_url": base + planner if (planner := planner_url(notice)) else "",
        "dashboard_url": base + reverse("learner_dashboard"),
        "settings_url": base + reverse("learner_profile"),
    })  # fmt: skip
    subject = email_subject(
        f"{notice.change.jurisdiction_name}'s dry-needling rule changed: "
        f"{VERDICT_WORDS.get(notice.new_status, notice.new_status)}"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.learner.email])


def rule_change_emails_send(*, change_id: int, learner_ids: list[int]) -> int:
    """Email the notices of this change not emailed yet; returns how many were sent."""
    due = _claim_emails(change_id=change_id, learner_ids=learner_ids)
    if not due:
        return 0
    messages = [_email(n) for n in due]
    return mailers.default.send_messages(messages) or 0  # one connection for the batch


@task()
def rule_change_emails_send_task(*, change_id: int, learner_ids: list[int]) -> int:
    return rule_change_emails_send(change_id=change_id, learner_ids=learner_ids)
