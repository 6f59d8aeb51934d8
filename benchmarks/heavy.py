"""The work that grows with data (issue 17), measured on PostgreSQL; a benchmark, not a test.

    scripts/with-postgres sh -c '.venv/bin/python manage.py migrate -v0 && \
        .venv/bin/python benchmarks/heavy.py --learners 25000'      # or: make perf-heavy

Loads N learners (two verified licenses each, DN-1 completed, DN-2 attended and completed by
one in a hundred, 21 ledger entries), then measures, in this order so that each memory figure
is the process's own: the completions CSV export streamed through its view (2 rows a learner:
50,000 at 25,000 learners), time and memory growth; the same export as XLSX, built as the
worker builds it; a transcript PDF of 1,000 entries, rendered as the task renders it and
downloaded from storage; re-evaluating every learner for
certification (batches as `reevaluate_all` runs them), against evaluating learners one by one;
1,000 downloads of a certificate's PDF, memory growth. Everything is rolled back.

Last measured, reevaluate_all only (2026-12-01, 10,000 accounts, load average 20 on 2 shared
cores): 86.4 s wall, CPU 6.3 s this process + 1.5 s its PostgreSQL backend, 0.168 queries a
learner (before learners_days: 98.4 s, 6.4 + 1.5 s)."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.signals import request_finished  # noqa: E402
from django.db import close_old_connections  # noqa: E402

# A response's close() ends the request, which would close the connection and with it the
# transaction that holds (and rolls back) the benchmark's data.
request_finished.disconnect(close_old_connections)

from django.conf import settings  # noqa: E402
from django.db import connection, connections, reset_queries, transaction  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import INSTRUCTOR  # noqa: E402
from certification.certificate_views import certificate_download  # noqa: E402
from certification.models import Certificate  # noqa: E402
from certification.programs import certificates_evaluate, certification_program  # noqa: E402
from certification.reevaluation import (  # noqa: E402
    certificates_reevaluate_batch,
    learner_batches,
)
from courses.models import CEUApproval, CourseDay, Enrollment, Offering  # noqa: E402
from learners.models import HoursEntry, LearnerProfile, License, Profession  # noqa: E402
from learners.transcript_pdf import transcript_pdf_store  # noqa: E402
from learners.transcript_views import transcript_pdf  # noqa: E402
from operations.admin_views import export_view  # noqa: E402
from operations.exports import EXPORTS, Filters, export_xlsx  # noqa: E402
from tests.factories import (  # noqa: E402
    UserFactory,
    catalog_course,
    catalog_offering,
    catalog_venue,
)

OFFERINGS_PER_COURSE = 20


class Rollback(Exception):
    pass


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def rss_mb() -> float:
    """The process's resident memory now (not its peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database_cpu() -> float:
    """CPU seconds this connection's PostgreSQL backend has used: its share of the work,
    which this process's own CPU time leaves out (the server runs on the same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now() -> tuple[float, float]:
    """This process's CPU seconds and its database backend's."""
    return time.process_time(), database_cpu()


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _call_timed(job: tuple[Callable[..., object], dict]) -> tuple[float, float]:
    """One batch in a worker process (its own connection); its CPU and its backend's."""
    call, kwargs = job
    before = cpu_now()
    call(**kwargs)
    after = cpu_now()
    return after[0] - before[0], after[1] - before[1]


def shared_by_workers(
    call: Callable[..., object], batches: list[dict], workers: int
) -> tuple[float, float, float]:
    """`call(**batch)` for every batch, shared by `workers` processes each taking the next
    batch as a task worker does, over committed data only; wall time, their CPU and their
    backends' CPU. `call` must be a module's function (it is sent to the processes)."""
    connections.close_all()  # each process opens its own
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        spent = list(pool.imap_unordered(_call_timed, [(call, batch) for batch in batches]))
    return time.perf_counter() - started, sum(c for c, _ in spent), sum(d for _, d in spent)


def insert_select(model, columns: dict[str, str], source: str, params: dict) -> None:
    """INSERT INTO model's table SELECT ... FROM source: every other column gets its field's
    default (the database's own where it has one), so the builder follows the models without
    naming every column."""
    fields = [
        f for f in model._meta.concrete_fields
        if not f.primary_key and (f.name in columns or not f.has_db_default())
    ]  # fmt: skip
    names, values = [], []
    for field in fields:
        names.append(field.column)
        if field.name in columns:
            values.append(columns[field.name])
        else:
            key = f"default_{field.column}"
            params[key] = field.get_db_prep_save(field.get_default(), connection)
            values.append(f"%({key})s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM {source}",
            params,
        )


def build(learners: int) -> dict:
    """The catalog through its services; learners and their records by PostgreSQL itself."""
    today = dt.date.today()
    instructor = UserFactory(email="bench-instructor@example.invalid", roles=[INSTRUCTOR])
    registrar = User.objects.create_superuser(email="bench-registrar@example.invalid")
    program = certification_program()
    offerings = {}
    for code, start in (("DN-1", today - dt.timedelta(days=200)),
                        ("DN-2", today - dt.timedelta(days=100))):  # fmt: skip
        course = catalog_course(code)
        program.required_courses.add(course)
        for state in ("VA", "MD"):
            CEUApproval.objects.create(course=course, approving_body=f"{state} Board",
                                       jurisdiction=state, approval_number=f"{state}-{code}",
                                       hours=27)  # fmt: skip
        offerings[code] = [
            catalog_offering(course=course, venue=catalog_venue(f"City {n}"), status="closed",
                             first_day=start + dt.timedelta(days=n), instructors=[instructor]).pk
            for n in range(OFFERINGS_PER_COURSE)
        ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {User._meta.db_table} (password, is_superuser, email, first_name,
                    last_name, is_staff, is_active, date_joined)
                SELECT '!', false, 'heavy-' || n || '@example.invalid', 'Heavy', 'L' || n,
                    false, true, now() FROM generate_series(1, %s) AS n RETURNING id""",
            [learners],
        )
        first = min(row[0] for row in cursor.fetchall())
    series = "generate_series(0, %(n)s - 1) AS n"
    p = {"n": learners, "first": first, "pt": Profession.objects.get(code="PT").pk,
         "today": today, "k": OFFERINGS_PER_COURSE}  # fmt: skip
    insert_select(LearnerProfile, {"user": "%(first)s + n", "legal_name": "'Heavy L' || n",
                                   "profession": "%(pt)s", "updated_at": "now()"},
                  series, dict(p))  # fmt: skip
    for state in ("VA", "MD"):
        insert_select(License, {
            "learner": "%(first)s + n", "profession": "%(pt)s", "jurisdiction": f"'{state}'",
            "number": f"'{state}-' || n", "issued_on": "'2015-01-01'::date",
            "expires_on": "%(today)s::date + 700", "status": "'verified'",
            "status_changed_at": "now()", "created_at": "now()",
        }, series, dict(p))  # fmt: skip
    one_in_100 = "CASE WHEN n %% 100 = 0 THEN 'completed' ELSE 'confirmed' END"
    for code, status in (("DN-1", "'completed'"), ("DN-2", one_in_100)):
        insert_select(Enrollment, {
            "learner": "%(first)s + n", "offering": "(%(ids)s::bigint[])[1 + n %% %(k)s]",
            "status": status, "created_at": "now()",
        }, series, {**p, "ids": offerings[code]})  # fmt: skip
    insert_select(HoursEntry, {
        "learner": "e.learner_id", "date": "d.date", "hours": "9", "mode": "'in_person'",
        "source": "'course_day'", "course_day": "d.id", "recorded_by": str(instructor.pk),
        "recorded_at": "now()",
    }, f"{Enrollment._meta.db_table} e JOIN {CourseDay._meta.db_table} d "
       "ON d.offering_id = e.offering_id WHERE e.learner_id >= %(first)s", dict(p))  # fmt: skip
    insert_select(HoursEntry, {
        "learner": "%(first)s + n %% %(n)s", "date": "%(today)s::date - (n * 7) %% 1500",
        "hours": "0.25 * (1 + n %% 36)", "mode": "'online'", "source": "'outside'",
        "recorded_by": str(instructor.pk), "recorded_at": "now()",
    }, "generate_series(0, %(n)s * 15 - 1) AS n", dict(p))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"first": first, "registrar": registrar, "instructor": instructor}


def csv_export(registrar: User) -> str:
    request = RequestFactory().get("/admin/exports/", {"report": "completions",
                                                       "file_format": "csv"})  # fmt: skip
    request.user = registrar
    gc.collect()
    before, peak_before = rss_mb(), peak_mb()
    started = time.perf_counter()
    response = export_view(request)
    rows = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += 1
    response.close()
    seconds = time.perf_counter() - started
    gc.collect()
    return (
        f"completions CSV, {rows - 1:,} rows ({size / 2**20:.1f} MB) streamed: {seconds:.2f} s;"
        f" RSS {before:.0f} -> {rss_mb():.0f} MB after (+{rss_mb() - before:.1f}),"
        f" peak +{max(0.0, peak_mb() - peak_before):.1f} MB"
    )


def xlsx_export() -> str:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as scratch:
        seconds, rows = timed(lambda: export_xlsx(EXPORTS["completions"], Filters(), scratch.name))
        size = os.path.getsize(scratch.name)
    return f"completions XLSX, {rows:,} rows ({size / 2**20:.1f} MB), worker build: {seconds:.2f} s"


def transcript(first: int, instructor: User, runs: int) -> str:
    """The render as the task does it (storage emptied before each run), then the learner's
    download, which finds the stored file and streams it."""
    learner = User.objects.get(pk=first + 1)
    have = HoursEntry.objects.filter(learner=learner).count()
    HoursEntry.objects.bulk_create([
        HoursEntry(learner=learner, date=dt.date(2024, 1, 1) + dt.timedelta(days=n % 600),
                   hours=1, mode="online", source="outside", recorded_by=instructor,
                   note="Bench entry")
        for n in range(1000 - have)
    ])  # fmt: skip
    folder = Path(settings.MEDIA_ROOT) / "transcripts" / str(learner.pk)
    transcript_pdf_store(learner_id=learner.pk)  # warm: fonts, templates, stylesheet
    wall, cpu = [], []
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        started, cpu_started = time.perf_counter(), time.process_time()
        stored = transcript_pdf_store(learner_id=learner.pk)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    size = (Path(settings.MEDIA_ROOT) / stored.name).stat().st_size
    request = RequestFactory().get("/me/transcript.pdf")
    request.user = learner
    downloads, queries = [], 0
    for _ in range(max(runs, 5)):
        reset_queries()
        started = time.perf_counter()
        response = transcript_pdf(request)
        assert sum(len(chunk) for chunk in response.streaming_content) == size
        response.close()
        downloads.append(time.perf_counter() - started)
        queries = len(connection.queries)
    return (
        f"transcript PDF of 1,000 entries ({size / 1024:.0f} KB): render (the task) median of "
        f"{runs} {statistics.median(wall):.2f} s ({statistics.median(cpu):.2f} s of this "
        f"process's CPU); download from storage median {statistics.median(downloads) * 1000:.0f}"
        f" ms, {queries} queries"
    )


def reevaluate(learners: int, first: int) -> str:
    program_ids = [certification_program().pk]
    sample = range(first + 2, first + 52)
    with transaction.atomic():  # the one-by-one baseline, rolled back
        reset_queries()
        one_by_one, _ = timed(lambda: [certificates_evaluate.call(learner_id=pk) for pk in sample])
        per_queries = len(connection.queries) / len(sample)
        transaction.set_rollback(True)
    reset_queries()
    cpu = cpu_now()
    seconds, issued = timed(lambda: sum(
        len(certificates_reevaluate_batch(learner_ids=batch, program_ids=program_ids))
        for batch in learner_batches()
    ))  # fmt: skip
    cpu, db_cpu = (now - then for now, then in zip(cpu_now(), cpu, strict=True))
    everyone = User.objects.count()
    return (
        f"reevaluate_all, {everyone:,} accounts in batches of 1,000: {seconds:.1f} s "
        f"({seconds / everyone * 1000:.2f} ms and {len(connection.queries) / everyone:.3f} "
        f"queries a learner; CPU: this process {cpu:.1f} s, its PostgreSQL backend "
        f"{db_cpu:.1f} s; load average {os.getloadavg()[0]:.1f}; {issued:,} certificates "
        f"issued); one by one: "
        f"{one_by_one / len(sample) * 1000:.1f} ms and {per_queries:.1f} queries a learner"
    )


def certificate_downloads(times: int) -> str:
    certificate = Certificate.objects.select_related("learner").first()
    request = RequestFactory().get("/")
    request.user = certificate.learner

    def download() -> int:
        response = certificate_download(request, pk=certificate.pk)
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size

    first_seconds, _ = timed(download)  # renders and stores it
    gc.collect()
    before = rss_mb()
    seconds, _ = timed(lambda: [download() for _ in range(times)])
    gc.collect()
    return (
        f"certificate PDF: first download {first_seconds * 1000:.0f} ms (render), then "
        f"{seconds / times * 1000:.2f} ms each; RSS {before:.0f} -> {rss_mb():.0f} MB after "
        f"{times:,} downloads (+{rss_mb() - before:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=25_000)
    parser.add_argument("--downloads", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="transcript renders measured")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark measures PostgreSQL: run it under scripts/with-postgres.")
    if options.learners < 100:
        sys.exit("--learners: at least 100.")
    say(f"PostgreSQL, {options.learners:,} learners; {os.cpu_count()} CPUs")
    try:
        # DEBUG on only to count queries; tasks are recorded, not run (no email, no PDF).
        dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        media = tempfile.mkdtemp(prefix="dn-heavy-media-")  # the stored PDFs
        with override_settings(DEBUG=True, TASKS=dummy, MEDIA_ROOT=media), transaction.atomic():
            seconds, data = timed(lambda: build(options.learners))
            say(
                f"  built in {seconds:.1f} s: {HoursEntry.objects.count():,} ledger entries, "
                f"{Enrollment.objects.count():,} enrollments, {Offering.objects.count()} offerings"
            )
            connection.queries_log.clear()
            say("  " + csv_export(data["registrar"]))
            say("  " + xlsx_export())
            say("  " + transcript(data["first"], data["instructor"], options.runs))
            say("  " + reevaluate(options.learners, data["first"]))
            say("  " + certificate_downloads(options.downloads))
            raise Rollback
    except Rollback:
        shutil.rmtree(media)
        say("  (rolled back)")


if __name__ == "__main__":
    main()
