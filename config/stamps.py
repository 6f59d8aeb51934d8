"""`updated_at` renewed by every save of a row, also a save naming its `update_fields`, which
Django's `auto_now` alone would skip. The signed-in pages' fingerprints
(config/fragment_cache.py) read it: a row changed in place without it would leave a page
stale, so a writer never changes these rows through `QuerySet.update`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.functions import Now


class SavedStamp(models.Model):
    # db_default: rows written by code that predates the column get one too.
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True

    def save(self, *args: object, update_fields: Iterable[str] | None = None, **kwargs: object):
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)
