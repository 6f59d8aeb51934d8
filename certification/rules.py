"""Rules on file, read from the database into the engine's plain data, and loaded from the
researched JSON file (`load_rules`). A jurisdiction without a rule stays `no_rule`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history
from wagtail.search.backends import get_search_backend

from config.errors import ApplicationError
from config.page_cache import public_pages_changed
from learners.hours import is_quarter_hours
from learners.jurisdictions import states_and_dc
from learners.models import Profession

from . import rule_cache, rule_notices
from .engine import Citation, Requirement, Rule, RuleStatus
from .models import JurisdictionRule

if TYPE_CHECKING:
    from accounts.models import User

RULES_FILE = Path(settings.BASE_DIR) / "certification" / "data" / "jurisdiction_rules.json"


def rule_from_model(row: JurisdictionRule) -> Rule:
    return Rule(
        jurisdiction=row.jurisdiction,
        name=row.name,
        profession=row.profession.code,
        status=RuleStatus(row.status),
        requirements=tuple(
            Requirement(
                label=block.value["label"],
                min_total_hours=block.value["min_total_hours"],
                min_in_person_hours=block.value["min_in_person_hours"] or Decimal(0),
                window_months=block.value["window_months"],
                prior_practice_years=block.value["prior_practice_years"],
            )
            for block in row.requirements
        ),
        conditions=tuple(row.condition_list),
        citations=tuple(
            Citation(
                url=b.value["url"],
                title=b.value["title"],
                date=b.value["date"],
                quote=b.value["quote"],
            )
            for b in row.citations
        ),  # fmt: skip
        effective_date=row.effective_date,
        last_reviewed=row.last_reviewed,
    )


def rules_for_profession(profession: str) -> list[Rule]:
    """A rule for every US jurisdiction (50 states and DC), in name order: the one on file, or
    `no_rule` where none is (never an invented one)."""
    on_file = {
        row.jurisdiction: rule_from_model(row)
        for row in JurisdictionRule.objects.filter(profession__code=profession).select_related(
            "profession"
        )
    }
    return sorted(
        (
            on_file.get(code) or Rule(code, name, profession, RuleStatus.NO_RULE)
            for code, name in states_and_dc().items()
        ),
        key=lambda rule: rule.name,
    )


def rules_for_jurisdiction(jurisdiction: str) -> list[Rule]:
    """The rules on file for one jurisdiction, one per profession that has a row there,
    physical therapists first and then by profession code."""
    rows = JurisdictionRule.objects.filter(jurisdiction=jurisdiction).select_related("profession")
    return sorted(
        (rule_from_model(row) for row in rows), key=lambda r: (r.profession != "PT", r.profession)
    )


def rule_statuses() -> dict[str, dict[str, str]]:
    """Jurisdiction -> profession code -> status, for every rule on file, in one query."""
    statuses: dict[str, dict[str, str]] = {}
    rows = JurisdictionRule.objects.values_list("jurisdiction", "profession__code", "status")
    for jurisdiction, profession, status in rows:
        statuses.setdefault(jurisdiction, {})[profession] = status
    return statuses


class RulesFileError(ApplicationError):
    code = "rules_file_refused"


@dataclass(frozen=True)
class LoadReport:
    created: int
    changed: int
    unchanged: int


def _hours(value: Any, where: str, problems: list[str], *, nullable: bool) -> Decimal | None:
    if value is None and nullable:
        return None
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(f"{where}: {value!r} is not a number of hours.")
        return None
    if not is_quarter_hours(hours):
        problems.append(f"{where}: {value} is not a non-negative multiple of 0.25.")
    return hours


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: {value!r} is not a date (YYYY-MM-DD).")
        return None


def _requirement(raw: dict, where: str, problems: list[str]) -> dict:
    for key in ("window_months", "prior_practice_years"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or value < 1):
            problems.append(f"{where}: {key} must be a whole number of at least 1.")
    if not raw.get("label"):
        problems.append(f"{where}: a requirement needs a label.")
    requirement = {
        "label": raw.get("label", ""),
        "min_total_hours": _hours(raw.get("min_total_hours"), where, problems, nullable=True),
        "min_in_person_hours": _hours(raw.get("min_in_person_hours") or 0, where, problems,
                                      nullable=False),
        "window_months": raw.get("window_months"),
        "prior_practice_years": raw.get("prior_practice_years"),
    }  # fmt: skip
    total, in_person = requirement["min_total_hours"], requirement["min_in_person_hours"]
    # A requirement that measures nothing would be met by anyone: "eligible" would overstate.
    if total is None and not in_person and requirement["prior_practice_years"] is None:
        problems.append(f"{where}: a requirement needs an hour minimum or years of practice.")
    if total is not None and in_person is not None and in_person > total:
        problems.append(f"{where}: more hours in person ({in_person}) than in all ({total}).")
    return requirement


def _fields(raw: dict, professions: dict[str, Profession], problems: list[str]) -> dict | None:
    code = raw.get("jurisdiction")
    where = f"rule {code or '?'} {raw.get('profession') or '?'}"
    if code not in states_and_dc():
        problems.append(f"{where}: unknown jurisdiction {code!r}.")
    if raw.get("profession") not in professions:
        problems.append(f"{where}: unknown profession {raw.get('profession')!r}.")
    if raw.get("status") not in RuleStatus:
        problems.append(f"{where}: status must be one of {', '.join(RuleStatus)}.")
    requirements = [
        _requirement(req, f"{where}, requirement {n}", problems)
        for n, req in enumerate(raw.get("requirements") or [], start=1)
    ]
    if raw.get("status") != RuleStatus.PERMITTED and requirements:
        problems.append(f"{where}: only a permitted rule has requirements.")
    citations = [
        {"url": c.get("url", ""), "title": c.get("title", ""), "date": c.get("date", ""),
         "quote": c.get("quote", "")}
        for c in raw.get("citations") or []
    ]  # fmt: skip
    if not all(c["url"] for c in citations):
        problems.append(f"{where}: every citation needs a URL.")
    return {
        "jurisdiction": code,
        "profession": professions.get(raw.get("profession")),
        "name": raw.get("name") or states_and_dc().get(code, ""),
        "status": raw.get("status"),
        "requirements": [("requirement", r) for r in requirements],
        "conditions": "\n".join(raw.get("conditions") or []),
        "citations": [("citation", c) for c in citations],
        "notes": raw.get("notes") or "",
        "effective_date": _date(raw.get("effective_date"), where, problems),
        "last_reviewed": _date(raw.get("last_reviewed"), where, problems),
    }


def _stream(stream: Any) -> list:
    # Block values only: every assignment gives blocks new ids, which are not a change.
    return [(block.block_type, dict(block.value)) for block in stream]


def _comparable(row: JurisdictionRule) -> tuple:
    return (
        row.name, row.status, _stream(row.requirements), row.conditions,
        _stream(row.citations), row.notes, row.effective_date, row.last_reviewed,
    )  # fmt: skip


def _versions(
    new: Sequence[JurisdictionRule], changed: Sequence[JurisdictionRule]
) -> list[tuple[int | None, int]]:
    """(history id before, history id after) of each rule just written, in one query; a new
    rule has none before."""
    latest: dict[int, list[int]] = {}
    rows = JurisdictionRule.history.filter(id__in=[r.pk for r in (*new, *changed)])
    for rule_id, version in rows.order_by("id", "-history_id").values_list("id", "history_id"):
        latest.setdefault(rule_id, []).append(version)
    pairs: list[tuple[int | None, int]] = [(None, latest[r.pk][0]) for r in new]
    pairs += [(latest[r.pk][1], latest[r.pk][0]) for r in changed if len(latest[r.pk]) > 1]
    return pairs


@transaction.atomic
def rules_save(
    *, new: Sequence[JurisdictionRule] = (), changed: Sequence[JurisdictionRule] = (),
    reason: str, user: User | None = None,
) -> list[tuple[int | None, int]]:  # fmt: skip
    """The one writer of rules: the loader and the admin's create and edit go through here,
    so whatever must follow a change of the rules on file (a cache's invalidation, the alerts
    to learners whose verdict it moves) hooks in here, once. New rows are written in bulk, each
    with its first history version; a changed row keeps its previous version in its history,
    with `reason` and `user`. Returns each rule's (version before, version after)."""
    if new:
        bulk_create_with_history(
            list(new), JurisdictionRule, default_user=user, default_change_reason=reason
        )
    for row in changed:
        row._change_reason = reason  # read by simple_history as it writes the version
        if user is not None:
            row._history_user = user
        row.save()
    # bulk_create sends no post_save, so the admin's search index is told here.
    written = [*new, *changed]
    if written:
        get_search_backend().add_bulk(JurisdictionRule, written)
        # bulk_create sends no post_save either: the kept rules and public pages are told here.
        rule_cache.rules_changed()
        public_pages_changed()
    versions = _versions(new, changed) if written else []
    rule_notices.rule_changes_alert(versions=versions)
    return versions


def _read(path: Path) -> tuple[dict, list]:
    try:
        data = json.loads(Path(path).read_text())
        raw_rules = data["rules"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RulesFileError([f"{path}: not a rules file ({error})."]) from error
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        raise RulesFileError([f'{path}: "rules" must be a list of rules.'])
    return data, raw_rules


@transaction.atomic
def rules_load(path: Path = RULES_FILE) -> LoadReport:
    """Create or update every rule in the file (any profession); every rule is checked first
    and nothing is written unless all are valid. Loading the same file again changes nothing;
    an update keeps the previous version in the rule's history."""
    data, raw_rules = _read(path)
    professions = {p.code: p for p in Profession.objects.all()}
    problems: list[str] = []
    parsed = [_fields(raw, professions, problems) for raw in raw_rules]
    keys = [(p["jurisdiction"], p["profession"]) for p in parsed]
    if len(set(keys)) != len(keys):
        problems.append("The file has two rules for the same jurisdiction and profession.")
    if problems:
        raise RulesFileError(problems)
    existing = {
        (row.jurisdiction, row.profession_id): row for row in JurisdictionRule.objects.all()
    }
    new, changed = [], []
    for fields in parsed:
        row = existing.get((fields["jurisdiction"], fields["profession"].pk))
        if row is None:
            new.append(JurisdictionRule(**fields))
            continue
        before = _comparable(row)
        for name, value in fields.items():
            setattr(row, name, value)
        if _comparable(row) != before:
            changed.append(row)
    reason = f"Loaded from {Path(path).name} (compiled {data.get('compiled', 'undated')})"
    rules_save(new=new, changed=changed, reason=reason)
    return LoadReport(len(new), len(changed), len(parsed) - len(new) - len(changed))
