"""Races on real threads against PostgreSQL; every module here takes these marks."""

import pytest
from django.db import connection

RACES_ON_POSTGRESQL = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write transaction, so there is no race to test; "
        "this runs in CI on PostgreSQL",
    ),
]
