"""The scheduler's runs in Django's admin (superusers), read-only: what ran when, and errors."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "scheduler", "started_at", "finished_at", "error"]
    list_filter = ["job"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
