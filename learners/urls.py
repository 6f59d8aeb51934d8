from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile_edit, name="learner_profile"),
    path("licenses/add/", views.license_add, name="license_add"),
]
