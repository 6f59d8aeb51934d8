from django.urls import path

from . import evidence_views

urlpatterns = [
    path("", evidence_views.evidence_prepare, name="evidence_prepare"),
    path("<int:pk>/", evidence_views.evidence_detail, name="evidence_detail"),
    path("<int:pk>/evidence.pdf", evidence_views.evidence_download, name="evidence_pdf"),
]
