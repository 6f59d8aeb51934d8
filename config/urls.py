"""URL map: accounts, the Wagtail admin for registrars (its home kept whole per registrar,
operations/admin_home.py), Django's admin for superusers, and Wagtail's page serving last (it
catches every other path).

allauth's login is the only way in: the login paths of Wagtail's admin, of Wagtail's page
privacy and of Django's admin come first and lead to it (`accounts.views.login_elsewhere`).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import login_elsewhere
from certification import certificate_views, evidence_views, plan_views
from certification import views as certification_views
from cms import views as cms_views
from courses.sitemaps import OfferingSitemap
from courses.webhooks import stripe_webhook
from operations.admin_home import admin_home

SITEMAPS = {"pages": PageSitemap, "offerings": OfferingSitemap}

WAGTAIL_ADMIN = settings.WAGTAIL_ADMIN_PATH.strip("/") + "/"
DJANGO_ADMIN = settings.DJANGO_ADMIN_PATH.strip("/") + "/"

urlpatterns = [
    path(f"{WAGTAIL_ADMIN}login/", login_elsewhere, {"default_next": f"/{WAGTAIL_ADMIN}"}),
    path(f"{DJANGO_ADMIN}login/", login_elsewhere, {"default_next": f"/{DJANGO_ADMIN}"}),
    path("_util/login/", login_elsewhere),  # Wagtail's login for private pages
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path(WAGTAIL_ADMIN, admin_home),  # Wagtail's home, kept whole per registrar
    path(WAGTAIL_ADMIN, include(wagtailadmin_urls)),
    path(DJANGO_ADMIN, admin.site.urls),
    path("", include("config.early_urls")),  # answered early for learners: early_downloads.py
    path("me/", include("learners.urls")),
    path("me/", include("courses.learner_urls")),
    path("teach/", include("courses.instructor_urls")),
    path("api/", include("certification.api_urls")),
    path("calculator/", certification_views.calculator, name="calculator"),
    path("me/eligibility/", certification_views.my_eligibility, name="my_eligibility"),
    path("me/plan/", plan_views.my_plan, name="my_plan"),
    path("me/plan/hold/", plan_views.plan_hold, name="plan_hold"),
    path("me/certificates/", include("certification.certificate_urls")),
    path("verify/<str:code>/", certificate_views.certificate_verify, name="certificate_verify"),
    path("me/evidence/", include("certification.evidence_urls")),
    path("evidence/<str:code>/", evidence_views.evidence_verify, name="evidence_verify"),
    path("issuer/", certificate_views.issuer, name="issuer"),
    path("directory/", certificate_views.directory, name="directory"),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("offerings/", include("courses.urls")),
    path("search/", cms_views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(wagtail_urls)),
]
