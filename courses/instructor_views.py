"""The instructor's pages: the offerings they teach, each day's roster, the class's
assessment results and the printable sign-in sheet. Another offering is a 403. Saving hours or
results may complete enrollments, so each save then asks certification to re-evaluate the
class (the view is the top of the flow: courses' services never call certification)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import INSTRUCTOR, user_has_role
from certification.programs import certificates_reevaluate_later
from config.dates import provider_today
from config.errors import error_on_form
from config.fragment_cache import kept_page
from config.page_cache import VERSION_KEY, versioned
from config.pdf import pdf_response
from config.read_ahead import reads_ahead

from . import selectors
from .fingerprint import offering_fingerprint
from .instructor_forms import AssessmentForm, AttendanceForm
from .models import CourseDay, Offering
from .roster_pwa import roster_config, roster_urls
from .services.assessments import assessments_record
from .services.roster import RosterError, day_local_today, may_record, roster_lines, roster_save


def _taught_key(pk: int) -> str:
    return f"teaching:offering+instructors:{pk}"


def _offering_read_ahead(pk: int, **kwargs: object) -> tuple[str, ...]:
    """What `_offering_taught` reads, read with the session (config/read_ahead.py)."""
    return (VERSION_KEY, _taught_key(pk))


def _offering_taught(request: HttpRequest, pk: int) -> Offering:
    # Not offerings_admin: the roster shows no seat count and reads its days itself. The row
    # (with its course, venue, dates and instructors) is read once per version of the catalog,
    # which every save of an offering, its days, course or venue, and every change of its
    # instructors replaces.
    offering, instructor_ids = versioned(_taught_key(pk), lambda: _with_instructors(pk))
    if not may_record(offering.pk, request.user, instructor_ids=instructor_ids):
        raise PermissionDenied
    return offering


def _with_instructors(pk: int) -> tuple[Offering, frozenset[int]]:
    offering = get_object_or_404(selectors.offerings_dated(), pk=pk)
    return offering, frozenset(offering.instructors.values_list("pk", flat=True))


def _day_of(offering: Offering, day_pk: int) -> CourseDay:
    return get_object_or_404(
        CourseDay.objects.select_related("offering__venue", "sign_off__signed_off_by"),
        pk=day_pk, offering=offering,
    )  # fmt: skip


@login_required
def teaching_home(request: HttpRequest) -> HttpResponse:
    if not user_has_role(request.user, INSTRUCTOR):
        raise PermissionDenied
    offerings = selectors.offerings_taught_by(user=request.user)
    today = provider_today()
    current = [o for o in offerings if o.last_day >= today]
    return render(request, "teaching/home.html", {
        "current": current, "past": [o for o in offerings if o.last_day < today],
        "warm_urls": roster_urls(current),
    })  # fmt: skip


def _offering_context(offering: Offering, form: AssessmentForm, results_open: bool) -> dict:
    return {
        "offering": offering, "form": form, "results_open": results_open,
        "days": selectors.days_with_state(offering=offering), "has_rows": bool(form.rows),
        "warm_urls": roster_urls([offering]) if offering.last_day >= provider_today() else [],
    }  # fmt: skip


@reads_ahead(_offering_read_ahead)
@login_required
def teaching_offering(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _offering_taught(request, pk)
    results_open = offering.first_day <= timezone.localdate(timezone=offering.venue.tz)

    def class_form(data: object = None) -> AssessmentForm:
        rows = selectors.class_summary(offering=offering)
        return AssessmentForm(data, offering_id=offering.pk, rows=rows)

    if request.method != "POST":  # the same for every instructor until the class changes
        parts = ("teaching_offering", offering.pk, offering_fingerprint(offering.pk), results_open)
        return kept_page(
            request, "teaching/offering.html", parts,
            lambda: _offering_context(offering, class_form(), results_open),
        )  # fmt: skip
    form = class_form(request.POST)
    if form.is_valid():
        try:
            changed = assessments_record(
                offering_id=offering.pk, results=form.results, recorded_by=request.user
            )
        except RosterError as error:
            error_on_form(form, error)
        else:
            certificates_reevaluate_later(learner_ids=[e.learner_id for e in form.enrollments])
            messages.success(request, f"Results saved ({changed} changed).")
            return redirect("teaching_offering", pk=offering.pk)
    return render(
        request, "teaching/offering.html", _offering_context(offering, form, results_open)
    )


@reads_ahead(_offering_read_ahead)
@login_required
def teaching_day(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    offering = _offering_taught(request, pk)
    day = _day_of(offering, day_pk)
    signed_off = getattr(day, "sign_off", None)
    form = AttendanceForm(
        request.POST or None, offering_id=offering.pk, lines=roster_lines(day),
        scheduled=day.scheduled_hours,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        sign_off = "sign_off" in request.POST
        try:
            changed = roster_save(
                day_id=day.pk, hours=form.hours, recorded_by=request.user,
                reason=form.cleaned_data["reason"], sign_off=sign_off,
            )  # fmt: skip
        except RosterError as error:
            error_on_form(form, error)
        else:
            certificates_reevaluate_later(learner_ids=[e.learner_id for e in form.enrollments])
            done = "saved and signed off" if sign_off else "saved"
            messages.success(
                request, f"{day.date:%A %-d %B}: attendance {done} ({changed} changed)."
            )
            return redirect("teaching_day", pk=offering.pk, day_pk=day.pk)
    return render(request, "teaching/day.html", {
        "offering": offering, "day": day, "form": form, "signed_off": signed_off,
        "is_future": day.date > day_local_today(day),
        "roster_config": roster_config(day=day, lines=form.rows, csrf=get_token(request)),
    })  # fmt: skip


@login_required
def sign_in_sheet(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    offering = _offering_taught(request, pk)
    day = _day_of(offering, day_pk)
    return pdf_response(
        "teaching/sign_in_sheet.html",
        {"offering": offering, "day": day, "lines": roster_lines(day)},
        filename=f"sign-in-{offering.course.code}-{day.date:%Y-%m-%d}.pdf",
    )
