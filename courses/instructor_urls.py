from django.urls import path

from . import instructor_views, roster_pwa

urlpatterns = [
    path("", instructor_views.teaching_home, name="teaching_home"),
    path("sw.js", roster_pwa.service_worker, name="roster_service_worker"),
    path("manifest.webmanifest", roster_pwa.manifest, name="roster_manifest"),
    path("offerings/<int:pk>/", instructor_views.teaching_offering, name="teaching_offering"),
    path(
        "offerings/<int:pk>/days/<int:day_pk>/", instructor_views.teaching_day, name="teaching_day"
    ),
    path(
        "offerings/<int:pk>/days/<int:day_pk>/sign-in-sheet.pdf",
        instructor_views.sign_in_sheet,
        name="sign_in_sheet",
    ),
]
