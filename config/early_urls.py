"""A learner's own documents, answered from a kept copy after the session check
(config/early_downloads.py). config/urls.py includes these, so each keeps one address and its
name; the view runs on the whole way, for the first download and after each change."""

from django.urls import path

from certification import certificate_views
from config.page_cache import VERSION_KEY

urlpatterns = [
    path(
        "me/certificates/<int:pk>/certificate.pdf",
        certificate_views.certificate_download,
        name="certificate_pdf",
    ),
]

# By address name: the version key whose change outdates the kept answers (a certificate's
# facts change with any save in certification, which bumps the public pages' version).
KEPT_UNDER = {"certificate_pdf": VERSION_KEY}
