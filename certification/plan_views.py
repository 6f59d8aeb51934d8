"""The learner's pathway planner, "My plan" (issue 18 §1): which courses to book, and by when,
to dry needle in the states they choose; and "Hold these seats", which holds the plan's first
free seat through the enrollment service and takes them to its checkout (and joins the
waitlists of the plan's full offerings). No new money path: checkout is the usual one."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.dates import provider_today
from config.errors import error_messages
from courses.exceptions import EnrollmentError
from courses.seats import seats_left
from courses.selectors import offerings_public
from courses.services.enrollment import enrollment_hold
from courses.services.waitlist import waitlist_join

from .forms import PlanForm
from .learner_facts import learner_facts
from .plan_inputs import pathway_for_learner

MAX_OFFERINGS = 4  # a plan has at most one offering per course
NOTHING_TO_HOLD = "This plan has nothing to book: make a plan first."
JOINED_WAITLIST = "You are on the waitlist for {offering}: we will email you if a seat opens."


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    today = provider_today()
    facts = learner_facts(request.user, today=today)
    licensed = sorted(facts.licenses)
    form = PlanForm(request.GET or None, today=today, licensed=licensed)
    states = licensed if not form.is_bound else []
    target = None
    if form.is_bound and form.is_valid():
        states, target = form.cleaned_data["states"], form.cleaned_data["target_date"]
    pathway = None
    if states:
        pathway = pathway_for_learner(
            request.user, facts, jurisdictions=states, today=today, target=target
        )
    return render(request, "certification/my_plan.html", {
        "form": form, "facts": facts, "pathway": pathway, "today": today, "plan_states": states,
        "plan_next": plan_url(states, target),
    })  # fmt: skip


def _offerings_asked(request: HttpRequest) -> list[int]:
    ids = [
        value for value in request.POST.getlist("offering")
        if value.isascii() and value.isdigit() and len(value) < 10  # an id, not a number too big
    ]  # fmt: skip
    return list(dict.fromkeys(int(value) for value in ids))[:MAX_OFFERINGS]


@login_required
@require_POST
def plan_hold(request: HttpRequest) -> HttpResponse:
    """Hold the first free seat of the plan (then checkout), and join the waitlists of its
    full offerings; each through the same service, and gate, as the offering's own page."""
    now = timezone.now()
    asked = _offerings_asked(request)
    offerings = {o.pk: o for o in offerings_public(now=now).filter(pk__in=asked)}
    ordered = [offerings[pk] for pk in asked if pk in offerings]
    back = redirect(_plan_url(request))
    if not ordered:
        messages.error(request, NOTHING_TO_HOLD)
        return back
    full = [o for o in ordered if seats_left(o) == 0]
    free = [o for o in ordered if o not in full and o.registration_state(now).is_open]
    hold = None
    if free:
        try:
            hold = enrollment_hold(learner=request.user, offering_id=free[0].pk, now=now)
        except EnrollmentError as error:
            error_messages(request, error)  # nothing was held: nothing else is done either
            return back
    joined = 0
    for offering in full:
        try:
            waitlist_join(learner=request.user, offering_id=offering.pk, now=now)
            messages.success(request, JOINED_WAITLIST.format(offering=offering))
            joined += 1
        except EnrollmentError as error:
            error_messages(request, error)
    if hold:
        return redirect("checkout", pk=hold.pk)
    return redirect("my_courses") if joined else back


def plan_url(states: list[str], target: dt.date | str | None = None) -> str:
    """My plan for these states (and target date): where the planner's links lead."""
    query = [("states", code) for code in states if code.isalpha()]
    if target:
        query.append(("target_date", str(target)))
    return f"{reverse('my_plan')}?{urlencode(query)}" if query else reverse("my_plan")


def _plan_url(request: HttpRequest) -> str:
    """Back to the same plan: its states and target date, and nothing else, from the form."""
    return plan_url(request.POST.getlist("states"), request.POST.get("target_date"))
