"""Where a page's time goes, in-process: each benchmark page requested through Django's test
client against the benchmark's database (after a warm-up request, as under load), with CPU
and wall milliseconds per request, the queries and the Redis round trips (a pipeline is one)
of the last request; `--profile` adds cProfile's top functions.

    eval "$(benchmarks/services env)"; DATABASE_URL=$DATABASE_APP_URL \
    DJANGO_SETTINGS_MODULE=config.settings.base SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1 \
    PYTHONPATH=$PWD .venv/bin/python benchmarks/profile_pages.py dashboard,admin [--profile]

Static files are served unhashed here, so no collectstatic is needed."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

import django
import redis.connection
from django.conf import settings

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from benchmarks.pages import Page, benchmark_pages  # noqa: E402

STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
ROUND_TRIPS = [0]  # commands (or pipelines) sent to Redis, each awaiting its answer


def _counted(send: Callable[..., Any]) -> Callable[..., Any]:
    def send_packed_command(*args: Any, **kwargs: Any) -> Any:
        ROUND_TRIPS[0] += 1
        return send(*args, **kwargs)

    return send_packed_command


redis.connection.AbstractConnection.send_packed_command = _counted(
    redis.connection.AbstractConnection.send_packed_command
)


def client_for(page: Page, cookies: dict[str, str]) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if page.persona:
        client.cookies.load(cookies[page.persona])
    return client


def measure(page: Page, client: Client, rounds: int) -> tuple[float, float, list[str], int]:
    """CPU ms and wall ms per request (medians), the queries (their SQL) and the Redis round
    trips of the last request."""
    request = client.post if page.method == "POST" else client.get
    kwargs = {"data": page.body, "content_type": "application/json"} if page.body else {}
    cpu, wall = [], []
    for _ in range(rounds):
        ROUND_TRIPS[0] = 0
        started_cpu, started = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = request(page.path, **kwargs)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}")
    sql = [query["sql"] for query in queries.captured_queries]
    return sorted(cpu)[rounds // 2], sorted(wall)[rounds // 2], sql, ROUND_TRIPS[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", help="page keys, comma-separated (see benchmarks/pages.py)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--profile",
        action="store_true",
        help=("print cProfile's top functions (PROFILE_SORT, default cumulative; PROFILE_TOP, 40)"),
    )
    parser.add_argument("--sql", action="store_true", help="print the last request's queries")
    args = parser.parse_args()
    pages, cookies = benchmark_pages()
    wanted = args.only.split(",")
    for page in (p for p in pages if p.key in wanted):
        client = client_for(page, cookies)
        measure(page, client, 1)  # warm-up: fills the caches
        cpu, wall, queries, trips = measure(page, client, args.rounds)
        line = f"{page.key:16} cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  queries {len(queries)}"
        line += f"  redis {trips}"
        sys.stdout.write(line + "\n")
        if args.sql:
            sys.stdout.writelines(f"    {sql[:300]}\n" for sql in queries)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(measure, page, client, args.rounds)
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("PROFILE_TOP", "40")))


if __name__ == "__main__":
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": STATIC}):
        main()
