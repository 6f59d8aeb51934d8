from django.urls import path

from . import learner_views, views

urlpatterns = [
    path("", views.offering_list, name="offering_list"),
    path("<int:pk>/", views.offering_detail, name="offering_detail"),
    path("<int:pk>/calendar.ics", views.offering_ics, name="offering_ics"),
    path("<int:pk>/enroll/", learner_views.enroll, name="enroll"),
    path("<int:pk>/waitlist/", learner_views.join_waitlist, name="join_waitlist"),
]
