"""Background work goes through Django's tasks API, and Wagtail's own tasks run too."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import Page

from accounts.tasks import email_send
from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_email_send_delivers_text_and_html():
    result = email_send.enqueue(
        subject="Welcome", body="Plain text", to=["a@example.test"], html="<p>Rich</p>"
    )

    assert result.return_value == 1
    assert mail.outbox[0].subject == "Welcome"
    assert mail.outbox[0].alternatives[0].content == "<p>Rich</p>"


def test_wagtails_search_indexing_task_runs_when_a_page_is_published():
    page = HomePage.objects.get().add_child(
        instance=Page(title="Contraindications and precautions", slug="precautions")
    )
    page.save_revision().publish()

    found = Page.objects.live().search("contraindications")

    assert [p.pk for p in found] == [page.pk]
