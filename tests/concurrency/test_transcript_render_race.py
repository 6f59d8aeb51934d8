"""Two downloads of a transcript that is not stored yet, at once on PostgreSQL: the learner's
row lock has it rendered once, and both get the same file."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from django.db import connections

from learners import transcript_pdf as pdf_module
from learners.models import HoursEntry
from tests.concurrency import RACES_ON_POSTGRESQL
from tests.factories import UserFactory

pytestmark = RACES_ON_POSTGRESQL


def test_concurrent_downloads_render_the_transcript_once(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    learner, instructor = UserFactory(), UserFactory(roles=["Instructor"])
    HoursEntry.objects.create(learner=learner, date="2026-11-20", hours=Decimal(9),
                              mode="online", source="outside", recorded_by=instructor)  # fmt: skip
    rendered: list[int] = []
    real = pdf_module.pdf_render

    def slow(template: str, context: dict, **kwargs) -> bytes:
        rendered.append(learner.pk)
        time.sleep(0.5)  # the other download arrives while this one renders
        return real(template, context, **kwargs)

    monkeypatch.setattr(pdf_module, "pdf_render", slow)
    barrier, names = threading.Barrier(2), []

    def download() -> None:
        try:
            barrier.wait()
            names.append(pdf_module.transcript_pdf_store(learner_id=learner.pk).name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert rendered == [learner.pk]
    assert len(names) == 2 and names[0] == names[1]
