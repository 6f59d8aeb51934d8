"""The benchmarked pages, their targets (share of the floor's req/s, issue 17) and the
signed-in sessions they need, built directly in the session table (the staff one with
allauth's two-factor step recorded, as after a real sign-in with a code). Each persona sends
what a browser that has been on the site sends: its session cookie and its CSRF cookie."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string

from accounts.models import User
from certification.models import Certificate
from cms.models import CoursePage, StateGuidePage
from config.dates import provider_today
from courses.models import Offering
from courses.selectors import offerings_upcoming

PUBLIC, API, SIGNED_IN, ADMIN = 0.60, 0.50, 0.20, 0.10
EVALUATE_BODY = (
    '{"jurisdiction": "ALL", "profession": "PT", "hours": ['
    '{"date": "2026-03-14", "hours": 27, "in_person": true},'
    '{"date": "2026-06-20", "hours": 27, "in_person": true}]}'
)


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    target: float
    persona: str | None = None
    method: str = "GET"
    body: str | None = None

    @property
    def path_shown(self) -> str:
        return self.path if len(self.path) <= 40 else self.path[:37] + "..."


def session_for(email: str, *, two_factor: bool = False) -> str:
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    steps = [{"method": "password", "at": time.time(), "email": email}]
    if two_factor:
        steps.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session["account_authentication_methods"] = steps
    session["account_authentication_methods_user"] = str(user.pk)
    session.create()
    return session.session_key


def browser_cookies(email: str, *, two_factor: bool = False) -> str:
    """The Cookie header of a signed-in browser: its session and the CSRF cookie it was given
    on its first page (without one, every page with a form would set a new one)."""
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return (f"{settings.SESSION_COOKIE_NAME}={session_for(email, two_factor=two_factor)}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}")  # fmt: skip


def benchmark_pages() -> tuple[list[Page], dict[str, str]]:
    """The pages, and each persona's Cookie header."""
    certificate = Certificate.objects.filter(learner__email="maya.cruz@example.com").first()
    offering = (
        offerings_upcoming().filter(status=Offering.Status.OPEN, first_day__gt=provider_today())
        .order_by("pk").first()
    )  # fmt: skip
    taught = Offering.objects.filter(instructors__email="instructor@example.com").order_by("pk")
    course_page = CoursePage.objects.live().order_by("path").first()
    guide = StateGuidePage.objects.live().filter(jurisdiction="VA").first()
    cookies = {
        "learner": browser_cookies("maya.cruz@example.com"),
        "instructor": browser_cookies("instructor@example.com"),
        "registrar": browser_cookies("registrar@example.com", two_factor=True),
    }
    pages = [
        Page("home", "Home", "/", PUBLIC),
        Page("course", "Course page", course_page.url, PUBLIC),
        Page("offerings", "Offerings list", "/offerings/", PUBLIC),
        Page("offering", "Offering page", f"/offerings/{offering.pk}/", PUBLIC),
        Page("guide", "State guide", guide.url, PUBLIC),
        Page("calculator", "Calculator", "/calculator/?profession=PT&hours_from=both", PUBLIC),
        Page("verify", "Verify a certificate", f"/verify/{certificate.verification_code}/", API),
        Page("api_evaluate", "API: evaluate (ALL)", "/api/v1/eligibility/evaluate", API,
             method="POST", body=EVALUATE_BODY),
        Page("api_certificate", "API: certificate",
             f"/api/v1/certificates/{certificate.verification_code}/", API),
        Page("dashboard", "Learner dashboard", "/me/", SIGNED_IN, "learner"),
        Page("self_check", "Self-check", "/me/eligibility/", SIGNED_IN, "learner"),
        Page("roster", "Instructor's roster", f"/teach/offerings/{taught.first().pk}/",
             SIGNED_IN, "instructor"),
        Page("admin", "Wagtail admin home", "/admin/", ADMIN, "registrar"),
        Page("certificate_pdf", "Certificate PDF",
             f"/me/certificates/{certificate.pk}/certificate.pdf", API, "learner"),
    ]  # fmt: skip
    return pages, cookies
