"""The registrar's review page offers a decision exactly when the review service takes one."""

from __future__ import annotations

import pytest

from learners.models import OutsideTraining
from tests.learners.test_outside_training import _form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, frozen_today):
    settings.MEDIA_ROOT = tmp_path


def test_the_decision_form_goes_once_the_training_is_decided(client, learner, registrar):
    client.force_login(learner)
    client.post("/me/outside-training/", _form())
    training = OutsideTraining.objects.get()
    client.force_login(registrar)
    url = f"/admin/outside-training/{training.pk}/review/"
    assert "Save decision" in client.get(url).content.decode()

    client.post(url, {"decision": "verify"})

    assert "Save decision" not in client.get(url).content.decode()
    again = client.post(url, {"decision": "reject", "reason": "Changed my mind"}, follow=True)
    assert "This training was already verified on" in again.content.decode()
    training.refresh_from_db()
    assert training.status == OutsideTraining.Status.VERIFIED
