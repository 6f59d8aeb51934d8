"""Downloads answered right after authentication (config/early_downloads.py). config/urls.py
includes these, so each keeps one address and its name."""

from django.urls import path

from certification import certificate_views

urlpatterns = [
    path(
        "me/certificates/<int:pk>/certificate.pdf",
        certificate_views.certificate_download,
        name="certificate_pdf",
    ),
]
