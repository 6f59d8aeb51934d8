"""The catalog in the Wagtail admin (registrars): courses, venues and offerings, with list
filters and search. Instructors and learners have no admin access at all."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.log_actions import LogActionRegistry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learners.selectors import learner_display_name

from . import selectors
from .admin_forms import OfferingAdminForm
from .admin_seats import enrollment_detail, offering_seats
from .admin_views import payment_refund
from .models import Course, Enrollment, Offering, Payment, Venue
from .services.cancellation import OVERRIDE_LOG_ACTION
from .services.decisions import DECISION_LOG_ACTION
from .services.offering_cancellation import CANCEL_LOG_ACTION, SETTLE_LOG_ACTION
from .services.registrar_seats import ARRANGE_LOG_ACTION, MOVE_LOG_ACTION
from .services.waitlist import waitlist_offer_next


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "doc-full"
    menu_label = "Courses"
    list_display: ClassVar[list] = ["code", "title", "contact_hours", "price_display"]
    search_fields: ClassVar[list] = ["code", "title"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = "Venues"
    list_display: ClassVar[list] = ["name", "city", "region", "timezone"]
    list_filter: ClassVar[list] = ["region", "country"]
    search_fields: ClassVar[list] = ["name", "city"]


class OfferingViewSet(SnippetViewSet):
    model = Offering
    icon = "date"
    menu_label = "Offerings"
    list_display: ClassVar[list] = [
        TitleColumn("course", label="Offering", accessor="__str__",
                    url_name="wagtailsnippets_courses_offering:edit"),
        "status",
        "capacity",
        TitleColumn("seats_taken", label="Seats taken", url_name="courses_offering_seats"),
    ]  # fmt: skip
    list_filter: ClassVar[list] = ["status", "course", "venue__region"]
    edit_handler = ObjectList(Offering.panels, base_form_class=OfferingAdminForm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offering]:
        # Drafts included: registrars see everything; annotations give dates and seats.
        return selectors.offerings_admin()


class PaymentViewSet(SnippetViewSet):
    """Payments are Stripe's record: read here, refunded through the refund action."""

    model = Payment
    icon = "tag"
    menu_label = "Payments"
    list_display: ClassVar[list] = [
        TitleColumn("enrollment", label="Enrollment", url_name="courses_payment_refund",
                    accessor=lambda p: f"{learner_display_name(p.enrollment.learner)} · "
                                       f"{p.enrollment.offering}"),
        "status", "amount_cents", "attention_reason", "decision", "created_at",
    ]  # fmt: skip
    list_filter: ClassVar[list] = ["status"]
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return Payment.objects.select_related(
            "enrollment__learner__learner_profile",
            "enrollment__offering__course",
            "enrollment__offering__venue",
        ).prefetch_related("enrollment__offering__days")


class EnrollmentViewSet(SnippetViewSet):
    """Read here; seats are offered, given and moved on the offering's and the
    enrollment's pages, never edited as rows."""

    model = Enrollment
    icon = "group"
    menu_label = "Enrollments"
    list_display: ClassVar[list] = [
        TitleColumn("learner", label="Learner", url_name="courses_enrollment_detail",
                    accessor=lambda e: learner_display_name(e.learner)),
        "offering", "status", "created_at",
    ]  # fmt: skip
    list_filter: ClassVar[list] = ["status", "offering__course"]
    search_fields: ClassVar[list] = [
        "learner__email", "learner__first_name", "learner__last_name",
        "learner__learner_profile__legal_name",
    ]  # fmt: skip
    search_backend_name = None  # the ORM's icontains: enrollments are not in the search index
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        return Enrollment.objects.select_related(
            "learner__learner_profile", "offering__course", "offering__venue"
        ).prefetch_related("offering__days")


class CatalogGroup(SnippetViewSetGroup):
    menu_label = "Catalog"
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (CourseViewSet, OfferingViewSet, VenueViewSet, EnrollmentViewSet, PaymentViewSet)


register_snippet(CatalogGroup)


@hooks.register("register_admin_urls")
def payment_refund_urls() -> list:
    return [
        path("payments/<int:pk>/refund/", payment_refund, name="courses_payment_refund"),
        path("offerings/<int:pk>/seats/", offering_seats, name="courses_offering_seats"),
        path("enrollments/<int:pk>/", enrollment_detail, name="courses_enrollment_detail"),
    ]


@hooks.register("after_edit_snippet")
def offer_new_seats_to_the_waitlist(request: HttpRequest, instance: object) -> None:
    """A registrar raised the capacity: the waitlist is offered the new seats at once."""
    if isinstance(instance, Offering) and instance.status in (
        Offering.Status.OPEN, Offering.Status.CLOSED,
    ):  # fmt: skip
        waitlist_offer_next(offering_id=instance.pk, now=timezone.now())


@hooks.register("register_log_actions")
def refund_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action(OVERRIDE_LOG_ACTION, "Refund issued", "Refund issued by a registrar")
    actions.register_action(DECISION_LOG_ACTION, "Payment decided", "Payment decided")
    actions.register_action(ARRANGE_LOG_ACTION, "Seat arranged", "Seat offered or given")
    actions.register_action(MOVE_LOG_ACTION, "Seat moved", "Seat moved to another offering")
    actions.register_action(CANCEL_LOG_ACTION, "Offering cancelled", "Offering cancelled")
    actions.register_action(SETTLE_LOG_ACTION, "Cancelled offering settled", "Places settled")
