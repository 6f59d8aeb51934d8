"""The site's URLs with a stand-in planner at /me/plan/ (built apart, issue 18 section 1),
for the notices' link to it."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("me/plan/", lambda request: HttpResponse("Planner"), name="planner_stand_in"),
    path("", include("config.urls")),
]
