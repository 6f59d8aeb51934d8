"""Every edit of the catalog and the state rules keeps the previous version: registrars read
who changed which field from what to what, an offering's days and refund tiers included."""

from __future__ import annotations

import pytest

from tests.courses.test_offering_admin import _edit_form, _edit_url
from tests.factories import catalog_course, catalog_offering

pytestmark = pytest.mark.django_db


def test_an_offering_edit_shows_who_changed_which_field_and_day(client, registrar, instructor):
    offering = catalog_offering(instructors=[instructor], capacity=16)
    client.force_login(registrar)
    data = _edit_form(offering, capacity="20")
    data["days-0-end_time"] = "18:00"

    assert client.post(_edit_url(offering), data).status_code == 302

    page = client.get(f"/admin/offerings/{offering.pk}/changes/").content.decode()
    assert str(registrar) in page
    assert "<strong>capacity</strong>: <del>16</del> → <ins>20</ins>" in page
    assert "Course day Sun 14 Mar 2027 08:00-18:00: Changed" in page
    assert "<strong>end_time</strong>: <del>17:30:00</del> → <ins>18:00:00</ins>" in page, page[
        page.index("<tbody>") :
    ]


def test_a_price_change_is_kept_with_the_previous_price(client, registrar):
    course = catalog_course()
    course.price_cents = 99500
    course.save()

    client.force_login(registrar)
    listing = client.get("/admin/snippets/courses/course/").content.decode()
    page = client.get(f"/admin/courses/{course.pk}/changes/").content.decode()

    assert f"/admin/courses/{course.pk}/changes/" in listing
    assert "<strong>price_cents</strong>: <del>89500</del> → <ins>99500</ins>" in page
    assert course.history.count() == 2


@pytest.mark.parametrize("persona", ["learner", "instructor"])
def test_only_registrars_read_changes(client, request, persona):
    course = catalog_course()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(f"/admin/courses/{course.pk}/changes/").status_code in (302, 403)


def test_only_tracked_kinds_have_changes(client, registrar):
    client.force_login(registrar)

    assert client.get("/admin/payments/1/changes/").status_code == 404
