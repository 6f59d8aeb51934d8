from django.urls import path

from . import outside_views, transcript_views, views

urlpatterns = [
    path("", views.dashboard, name="learner_dashboard"),
    path("profile/", views.profile_edit, name="learner_profile"),
    path("licenses/add/", views.license_add, name="license_add"),
    path("licenses/<int:pk>/", views.license_edit, name="license_edit"),
    path("licenses/<int:pk>/withdraw/", views.license_remove, name="license_withdraw"),
    path("notices/<int:pk>/dismiss/", views.rule_notice_hide, name="rule_notice_dismiss"),
    path("transcript.pdf", transcript_views.transcript_pdf, name="transcript_pdf"),
    path("transcript.csv", transcript_views.transcript_csv, name="transcript_csv"),
    path("outside-training/", outside_views.outside_training, name="outside_training"),
    path(
        "outside-training/<int:pk>/evidence/",
        outside_views.evidence_download,
        name="outside_training_evidence",
    ),
]
