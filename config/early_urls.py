"""Downloads answered right after authentication (config/early_downloads.py). config/urls.py
includes these, so each keeps one address and its name."""

from django.urls import path

from certification import certificate_views
from certification.certificates import certificate_pdf_read_ahead

urlpatterns = [
    path(
        "me/certificates/<int:pk>/certificate.pdf",
        certificate_views.certificate_download,
        name="certificate_pdf",
    ),
]

# By address name: what its view reads from the cache, read with the session (read_ahead.py).
READ_AHEAD = {"certificate_pdf": certificate_pdf_read_ahead}
