"""Rules on file, read from the database into the engine's plain data, and loaded from the
researched JSON file (`load_rules`). A jurisdiction without a rule stays `no_rule`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from simple_history.utils import update_change_reason

from config.errors import ApplicationError
from learners.hours import is_quarter_hours
from learners.jurisdictions import states_and_dc
from learners.models import Profession

from . import rule_cache
from .engine import Citation, Requirement, Rule, RuleStatus
from .models import JurisdictionRule

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
    return {
        "label": raw.get("label", ""),
        "min_total_hours": _hours(raw.get("min_total_hours"), where, problems, nullable=True),
        "min_in_person_hours": _hours(raw.get("min_in_person_hours") or 0, where, problems,
                                      nullable=False),
        "window_months": raw.get("window_months"),
        "prior_practice_years": raw.get("prior_practice_years"),
    }  # fmt: skip


def _fields(raw: dict, professions: dict[str, Profession], problems: list[str]) -> dict | None:
    code = raw.get("jurisdiction")
    where = f"rule {code or '?'}"
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


@transaction.atomic
def rules_load(path: Path = RULES_FILE) -> LoadReport:
    """Create or update the rules from the file; every rule is checked first and nothing is
    written unless all are valid. Updates keep the previous version in the rule's history."""
    try:
        data = json.loads(Path(path).read_text())
        raw_rules = data["rules"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RulesFileError([f"{path}: not a rules file ({error})."]) from error
    professions = {p.code: p for p in Profession.objects.all()}
    problems: list[str] = []
    parsed = [_fields(raw, professions, problems) for raw in raw_rules]
    keys = [(p["jurisdiction"], p["profession"]) for p in parsed]
    if len(set(keys)) != len(keys):
        problems.append("The file has two rules for the same jurisdiction and profession.")
    if problems:
        raise RulesFileError(problems)
    created = changed = unchanged = 0
    reason = f"Loaded from {Path(path).name} (compiled {data.get('compiled', 'undated')})"
    for fields in parsed:
        row = JurisdictionRule.objects.filter(
            jurisdiction=fields["jurisdiction"], profession=fields["profession"]
        ).first()
        if row is None:
            row = JurisdictionRule(**fields)
            created += 1
        else:
            before = _comparable(row)
            for name, value in fields.items():
                setattr(row, name, value)
            if _comparable(row) == before:
                unchanged += 1
                continue
            changed += 1
        row.save()
        update_change_reason(row, reason)
    if created or changed:
        rule_cache.rules_changed()
    return LoadReport(created, changed, unchanged)
