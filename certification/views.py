"""The public state calculator (nothing stored, no login) and the learner's self-check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from config.dates import provider_today
from config.fragment_cache import kept_page
from config.page_cache import cacheable
from courses.selectors import planned_course_days
from learners.fingerprint import learner_fingerprint
from learners.jurisdictions import jurisdiction_name, states_and_dc

from .engine import Status, evaluate_all
from .forms import CalculatorForm
from .learner_facts import learner_facts
from .plan_inputs import pathway_for_visitor
from .plan_views import plan_url
from .rule_cache import VERSION_KEY as RULES_VERSION
from .rule_cache import rules_on_file
from .self_check import PlannedDay, projection, self_check
from .us_map import HEIGHT, WIDTH, map_tiles

STATUS_ORDER = ["eligible", "eligible_if", "not_yet", "prohibited", "unknown"]


def _counts(verdicts: list) -> list[tuple[str, int]]:
    return [(s, sum(1 for v in verdicts if v.display_status == s)) for s in STATUS_ORDER]


def calculator(request: HttpRequest) -> HttpResponse:
    today = provider_today()
    form = CalculatorForm(request.GET if "profession" in request.GET else None, today=today)
    context: dict = {"form": form, "map_width": WIDTH, "map_height": HEIGHT}
    if form.is_bound and form.is_valid():
        issued, profession = form.cleaned_data["license_issued"], form.cleaned_data["profession"]
        rules = rules_on_file(profession.code)
        verdicts = evaluate_all(
            rules, hours=form.hours(as_of=today), as_of=today,
            license_issued={rule.jurisdiction: issued for rule in rules},
        )  # fmt: skip
        context |= {"verdicts": verdicts, "tiles": map_tiles(verdicts), "profession": profession,
                    "counts": _counts(verdicts), "today": today}  # fmt: skip
        if states := form.cleaned_data["states"]:
            context["pathway"] = pathway_for_visitor(
                profession=profession.code, jurisdictions=states, hours=form.hours(as_of=today),
                license_issued=issued, today=today, target=form.cleaned_data["target_date"],
            )  # fmt: skip
            context["plan_next"] = plan_url(states, form.cleaned_data["target_date"])
    return cacheable(render(request, "certification/calculator.html", context))


@login_required
def my_eligibility(request: HttpRequest) -> HttpResponse:
    learner, asked = request.user, request.GET.get("state", "").upper()
    template = "certification/self_check.html"
    if asked and asked not in states_and_dc():  # a typo is answered, not kept
        return render(request, template, _self_check(learner, asked))
    parts = ("self_check", learner.pk, asked, learner_fingerprint(learner.pk))
    return kept_page(
        request, template, parts, lambda: _self_check(learner, asked), versions=[RULES_VERSION]
    )


def _self_check(learner: User, asked: str) -> dict:
    today = provider_today()
    facts = learner_facts(learner, today=today)
    verdicts = self_check(facts, as_of=today)
    shown = [
        v for v in verdicts if v.rule.jurisdiction in facts.licenses or v.rule.jurisdiction == asked
    ]
    planned = [
        PlannedDay(date, hours, label)
        for date, hours, label in planned_course_days(learner=learner, today=today)
    ]
    details = [
        (v, projection(v.rule, facts, planned, as_of=today) if v.status is Status.NOT_YET else None)
        for v in shown
    ]
    return {
        "facts": facts, "details": details, "verdicts": verdicts, "today": today,
        "asked": asked, "states": states_and_dc(),
        "expired": [(jurisdiction_name(code), lic) for code, lic in sorted(facts.expired.items())],
        "unknown_state": asked and asked not in states_and_dc(),
    }  # fmt: skip
