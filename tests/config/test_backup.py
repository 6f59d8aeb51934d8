"""Backups that are tested (README "Production: backups"): scripts/backup dumps the database,
scripts/restore loads it into a fresh one, and the hours ledger, payments, refunds and
certificates come back identical, row for row. PostgreSQL only (CI's PostgreSQL run)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from certification.models import Certificate
from courses.models import Payment, Refund
from learners.models import HoursEntry
from tests import database
from tests.certification.helpers import course_completed
from tests.config.test_append_only import _certificate, _refund
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_db"),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="backups are of PostgreSQL; this runs in CI's PostgreSQL run"),
]  # fmt: skip

ROOT = Path(__file__).resolve().parents[2]
KEPT = (HoursEntry, Payment, Refund, Certificate)


def _url(dbname: str) -> str:
    settings = connection.settings_dict
    owner = database._owner["USER"]
    return f"postgres://{owner}@{settings['HOST']}:{settings['PORT']}/{dbname}"


def _fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Each kept table's row count and a checksum of every row, in id order."""
    with psycopg.connect(url) as conn:
        return {
            model._meta.db_table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
                f" FROM {model._meta.db_table} t"
            ).fetchone()
            for model in KEPT
        }


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _script(name: str, *args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([ROOT / "scripts" / name, *args], env={**os.environ, "DATABASE_URL": url},
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip


def test_a_backup_restores_ledger_payments_and_certificates_identically(
    tmp_path, program, fresh_database
):
    learner, instructor = UserFactory(), UserFactory(roles=["Instructor"])
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    _refund(learner)
    _certificate(learner, program)
    source = _url(connection.settings_dict["NAME"])
    before = _fingerprints(source)
    assert all(count for count, _ in before.values())  # something of each kind to lose

    dump = tmp_path / "dntracker.dump"
    backup = _script("backup", str(dump), url=source)
    assert backup.returncode == 0, backup.stderr
    restore = _script("restore", str(dump), url=fresh_database)
    assert restore.returncode == 0, restore.stderr

    assert _fingerprints(fresh_database) == before


def test_restore_refuses_a_database_that_already_has_tables(tmp_path):
    source = _url(connection.settings_dict["NAME"])
    dump = tmp_path / "dntracker.dump"
    assert _script("backup", str(dump), url=source).returncode == 0
    before = _fingerprints(source)

    restore = _script("restore", str(dump), url=source)

    assert restore.returncode == 1
    assert "restore into a new, empty database" in restore.stderr
    assert _fingerprints(source) == before
