"""The dashboard benchmark runs on PostgreSQL (small numbers here), leaves nothing behind,
and refuses SQLite with a clear message."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from learners.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="measures PostgreSQL")
def test_it_reports_both_medians_and_rolls_its_data_back():
    out = io.StringIO()

    call_command("benchmark_dashboard", learners=50, entries=1000, runs=2, stdout=out)

    report = out.getvalue()
    assert "Loaded 50 learners and 1,000 entries" in report
    assert "A learner with 20 entries" in report
    assert "aggregate query (hours_totals):" in report and "whole dashboard page (/me/):" in report
    assert (
        not HoursEntry.objects.exists()
        and not User.objects.filter(email__startswith="bench-").exists()
    )


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
def test_it_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(CommandError, match="measures PostgreSQL"):
        call_command("benchmark_dashboard", learners=5, entries=10)
