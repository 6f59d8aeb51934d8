from django.urls import path

from . import learner_views

urlpatterns = [
    path("courses/", learner_views.my_courses, name="my_courses"),
    path("enrollments/<int:pk>/checkout/", learner_views.checkout, name="checkout"),
    path("enrollments/<int:pk>/pay/", learner_views.pay, name="pay"),
    path(
        "enrollments/<int:pk>/leave-waitlist/", learner_views.leave_waitlist, name="waitlist_leave"
    ),
    path("enrollments/<int:pk>/cancel/", learner_views.cancel, name="cancel"),
    path("enrollments/<int:pk>/transfer/", learner_views.transfer, name="transfer"),
    path("payments/<int:pk>/refresh/", learner_views.refresh, name="payment_refresh"),
    path("payments/<int:pk>/receipt/", learner_views.receipt, name="receipt"),
]
