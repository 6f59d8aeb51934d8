from django.urls import path

from . import certificate_views

urlpatterns = [
    path("<int:pk>/", certificate_views.certificate_detail, name="certificate_detail"),
    path(
        "<int:pk>/credential.json",
        certificate_views.credential_download,
        name="certificate_credential",
    ),
]
