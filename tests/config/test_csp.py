"""Content Security Policy: on for every page; the site's own pages need no inline code."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


class InlineCodeFinder(HTMLParser):
    """Collect what a strict CSP would block: inline scripts, style blocks and attributes,
    and on* event handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> block")
        self.found += [f"{tag}[{name}]" for name in names if name == "style"]
        self.found += [f"{tag}[{name}]" for name in names if name.startswith("on")]


def _inline_code(html: bytes) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html.decode())
    return finder.found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_a_strict_policy_and_carry_no_inline_code(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert _inline_code(response.content) == []


def test_signed_in_pages_carry_no_inline_code(client, learner):
    client.force_login(learner)

    for path in ["/", "/accounts/", "/accounts/password/change/", "/accounts/2fa/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert _inline_code(response.content) == [], path


def test_the_wagtail_admin_gets_its_own_looser_policy(client, registrar):
    client.force_login(registrar)

    policy = client.get("/admin/")["Content-Security-Policy"]

    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
