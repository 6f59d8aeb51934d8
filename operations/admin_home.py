"""The Wagtail admin's home, kept whole per registrar (issue 17: 90 ms of CPU and 21 queries a
visit, most of it Wagtail's frame: the sidebar's menu with a permission check per item, the
page explorer, the summary and the panels). Wagtail's own view renders it; the HTML is kept
under everything it shows and served again with the request's CSRF token:

- who is looking: the person's name and email, their permissions (read for the admin's door
  anyway), their Wagtail profile (language, time zone, theme, avatar) and whether the sidebar
  is collapsed (a cookie);
- the registrar version (operations/panel_cache.py: any save of licenses, training, seats,
  payments, certificates, rules or people, and anyone joining or leaving a role) and the
  public pages' version (any save of pages, page and collection permissions, workflows and
  locks: all of Wagtail's core rows);
- the provider's today (fragment_cache.kept) and the static files' manifest (a deploy);
- for a minute at most, as the panels are: a seat hold lapses with time alone.

A request with a flash message waiting, or other than GET and HEAD, goes to Wagtail's view as
it is, and nothing is kept from it."""

from __future__ import annotations

import functools
import logging
import re

import wagtail
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.home import HomeView

from config.fragment_cache import CSRF_SLOT, kept, with_csrf

from .panel_cache import TIMEOUT, registrar_version

logger = logging.getLogger(__name__)

wagtail_home = HomeView.as_view()
SIDEBAR_COOKIE = "wagtail_sidebar_collapsed"
# Where Wagtail's frame and its forms write the CSRF token: the admin's JS configuration and
# each form's hidden field.
TOKEN_SPOTS = re.compile(
    r'(?P<before>"CSRF_TOKEN": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(?P<after>")'
)
# A masked CSRF token is 64 letters and digits: one left after slotting must never be kept.
TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


@functools.cache
def _assets() -> tuple[str, str]:
    return wagtail.__version__, getattr(staticfiles_storage, "manifest_hash", "")


def _viewer(request: HttpRequest) -> tuple:
    """What of the person the frame shows or depends on, read without a query: the user and
    their permissions are loaded by the admin's door, the profile by Wagtail's localization."""
    user = request.user
    profile = getattr(user, "wagtail_userprofile", None)
    return (
        user.pk, user.get_username(), user.get_full_name(), user.is_superuser, user.is_staff,
        "*" if user.is_superuser else sorted(user.get_all_permissions()),
        profile and [f.value_to_string(profile) for f in profile._meta.concrete_fields],
        request.COOKIES.get(SIDEBAR_COOKIE), translation.get_language(),
        timezone.get_current_timezone_name(), request.get_host(),
    )  # fmt: skip


def _slotted(html: str) -> str | None:
    """The page with `CSRF_SLOT` for each token, or None when a token may be left in it."""
    html = TOKEN_SPOTS.sub(rf"\g<before>{CSRF_SLOT}\g<after>", html)
    if TOKEN_LIKE.search(html):
        logger.warning("admin home not kept: a token-like value outside the known spots")
        return None
    return html


@never_cache
@require_admin_access
def admin_home(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or len(get_messages(request)):
        return wagtail_home(request)
    rendered: list[HttpResponse] = []

    def build() -> str | None:
        response = wagtail_home(request).render()
        rendered.append(response)
        return _slotted(response.content.decode()) if response.status_code == 200 else None

    parts = ("admin_home", _viewer(request), registrar_version(), _assets())
    html = kept(parts, build, timeout=TIMEOUT)
    if html is None:  # not keepable: Wagtail's own answer, as it is
        return rendered[0] if rendered else wagtail_home(request)
    return HttpResponse(with_csrf(html, request))
