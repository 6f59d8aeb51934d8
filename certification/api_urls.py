from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.page_cache import gated
from config.throttling import anonymous_rate_allowed
from courses.roster_api import RosterSyncView

from . import api, certificate_views, evidence_views
from .verification import verification_allowed

urlpatterns = [
    path(
        "v1/eligibility/evaluate",
        gated(anonymous_rate_allowed)(api.EvaluateView.as_view()),
        name="api_evaluate",
    ),
    path("v1/plans/", api.PlansView.as_view(), name="api_plans"),
    path("v1/jurisdictions/", api.JurisdictionListView.as_view(), name="api_jurisdictions"),
    path("v1/me/eligibility/", api.MyEligibilityView.as_view(), name="api_my_eligibility"),
    path(
        "v1/certificates/<str:code>/",
        gated(verification_allowed)(certificate_views.CertificateAPIView.as_view()),
        name="api_certificate",
    ),
    path(
        "v1/evidence/<str:code>/",
        evidence_views.EvidencePackAPIView.as_view(),
        name="api_evidence_pack",
    ),
    path("v1/roster/sync/", RosterSyncView.as_view(), name="api_roster_sync"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
