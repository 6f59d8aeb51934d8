"""Permissions-Policy: browser features we do not use are off on every response."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    pieces = (piece.split("=", 1) for piece in response["Permissions-Policy"].split(", "))
    return dict(pieces)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/admin/"])
def test_every_response_switches_off_what_we_do_not_use(client, path):
    policy = _policy(client.get(path))

    assert policy["microphone"] == "()"
    assert policy["geolocation"] == "()"
    assert policy["usb"] == "()"
    assert policy["browsing-topics"] == "()"


def test_the_camera_and_payments_stay_with_the_site_alone(client):
    policy = _policy(client.get("/"))

    assert policy["camera"] == "(self)"  # the roster's QR scanner, under /teach/
    assert policy["payment"] == "(self)"
