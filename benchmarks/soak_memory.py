"""Worker memory soak (issue 17: a worker's memory under 250 MB after 10,000 mixed requests,
PDFs included). Serves the product with the production gunicorn config
(`gunicorn -c config/gunicorn.py config.wsgi`, 2 workers) on 127.0.0.1:8210, sends a mix of
every kind of request (public pages, verification, both public APIs, the learner's dashboard
and self-check, an instructor's roster, the admin home, certificate and transcript PDFs, a
registrar's CSV export) from 4 client threads, and reads each worker's resident memory
(VmRSS in /proc) as it goes.

Run twice: with `max_requests` off (GUNICORN_MAX_REQUESTS=0), which measures growth, since a
worker then lives through the whole soak; and with the production setting on, where workers
are recycled and their memory handed back. Run by `make perf-memory` (benchmarks/perf sets
the environment, as for `make perf`); the section in benchmarks/RESULTS.md is replaced."""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import django

django.setup()

from benchmarks.pages import Page, benchmark_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Worker memory soak"
LIMIT_MB = 250
PROXY = {"X-Forwarded-Proto": "https"}  # as behind the TLS proxy: no redirect to https


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def soak_pages() -> tuple[list[Page], dict[str, str]]:
    """The benchmark's pages plus a transcript PDF and a registrar's CSV export (the
    completions of one year), with how many of each a cycle of the mix sends."""
    pages, cookies = benchmark_pages()
    pages += [
        Page("transcript_pdf", "Transcript PDF", "/me/transcript.pdf", 0, "learner"),
        Page("csv_export", "CSV export",
             "/admin/exports/?report=completions&file_format=csv&start=2026-01-01&end=2026-12-31",
             0, "registrar"),
    ]  # fmt: skip
    return pages, cookies


# Requests of each kind in one cycle of the mix (the rest, the heavy ones: one each), and the
# kinds sent once every so many cycles: about one request in five is a heavy one.
WEIGHTS = {"home": 4, "course": 2, "offerings": 3, "offering": 2, "guide": 2, "calculator": 2,
           "verify": 3, "api_evaluate": 4, "api_certificate": 4}  # fmt: skip
RARE = {"csv_export": 5}


def mix(pages: list[Page], total: int) -> list[Page]:
    cycle_number = itertools.count()
    sent: list[Page] = []
    while len(sent) < total:
        n = next(cycle_number)
        for page in pages:
            if n % RARE.get(page.key, 1) == 0:
                sent += [page] * WEIGHTS.get(page.key, 1)
    return sent[:total]


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None  # the worker has just gone
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


@dataclass
class Soak:
    max_requests: int
    sent: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    samples: list[tuple[int, dict[int, float]]] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    seconds: float = 0.0

    def sample(self, master: int) -> None:
        sizes = {pid: mb for pid in workers_of(master) if (mb := rss_mb(pid)) is not None}
        self.seen.update(sizes)
        self.samples.append((self.sent, sizes))


def request(port: int, page: Page, cookies: dict[str, str]) -> int:
    headers = dict(PROXY)
    if page.persona:
        headers["Cookie"] = cookies[page.persona]
    body = page.body.encode() if page.body else None
    if body:
        headers["Content-Type"] = "application/json"
    call = urllib.request.Request(f"http://127.0.0.1:{port}{page.path}", data=body,
                                  headers=headers, method=page.method)  # fmt: skip
    try:
        with urllib.request.urlopen(call, timeout=120) as response:
            while response.read(1 << 16):  # read all of it: a streamed export runs to its end
                pass
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def serve(port: int, workers: int, max_requests: int) -> subprocess.Popen:
    env = dict(os.environ, PORT=str(port), WEB_CONCURRENCY=str(workers),
               GUNICORN_MAX_REQUESTS=str(max_requests), GUNICORN_TIMEOUT="120")  # fmt: skip
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "--log-level", "warning",
         "config.wsgi"], cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 180  # a busy machine boots slowly
    while True:
        try:
            probe = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=PROXY)
            urllib.request.urlopen(probe, timeout=10)
            return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                raise SystemExit(f"gunicorn did not start on port {port}") from None
            time.sleep(0.3)


def soak(args: argparse.Namespace, max_requests: int) -> Soak:
    pages, cookies = soak_pages()
    result = Soak(max_requests)
    process = serve(args.port, args.workers, max_requests)
    lock = threading.Lock()

    def one(page: Page) -> None:
        status = request(args.port, page, cookies)
        with lock:
            result.sent += 1
            if status != 200:
                failure = f"{page.key} {status}"
                result.failed[failure] = result.failed.get(failure, 0) + 1
            if result.sent % args.every == 0:
                result.sample(process.pid)

    try:
        result.sample(process.pid)
        started = time.monotonic()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, mix(pages, args.requests)))
        result.seconds = time.monotonic() - started
        result.sample(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return result


def summary(result: Soak, warm: int) -> list[str]:
    """Per worker: its RSS once warm (after `warm` requests), its last and its highest."""
    mode = (
        f"`max_requests` {result.max_requests} (+ jitter): workers recycled"
        if result.max_requests
        else "`max_requests` off: each worker lives through the soak"
    )
    lines = [f"**{mode}**: {result.sent:,} requests in {result.seconds:.0f} s; "
             f"{len(result.seen)} worker processes seen."]  # fmt: skip
    lines += ["", "| worker | RSS warm (MB) | RSS last (MB) | RSS max (MB) | growth after warm "
              "|", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for pid in sorted(result.seen):
        points = [(sent, sizes[pid]) for sent, sizes in result.samples if pid in sizes]
        warmed = [mb for sent, mb in points if sent >= warm] or [points[-1][1]]
        highest = max(mb for _, mb in points)
        lines.append(f"| {pid} | {warmed[0]:.0f} | {points[-1][1]:.0f} | {highest:.0f} "
                     f"| {warmed[-1] - warmed[0]:+.0f} MB |")  # fmt: skip
    peak = max(mb for _, sizes in result.samples for mb in sizes.values())
    verdict = "PASS" if peak < LIMIT_MB and not result.failed else "FAIL"
    failed = ", ".join(f"{k}: {v}" for k, v in sorted(result.failed.items())) or "none"
    lines += ["", f"Highest worker RSS {peak:.0f} MB (target < {LIMIT_MB} MB): {verdict}. "
              f"Non-200 answers: {failed}."]  # fmt: skip
    return lines


def report(results: list[Soak], args: argparse.Namespace) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    pages, _ = soak_pages()
    kinds = ", ".join(f"{p.key} ×{WEIGHTS.get(p.key, 1)}" + (f" every {RARE[p.key]}th cycle"
                      if p.key in RARE else "") for p in pages)  # fmt: skip
    lines = [
        SECTION, "",
        f"`make perf-memory` ({' '.join(sys.argv[1:]) or 'defaults'}) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, "
        f"{os.cpu_count()} cores (shared). `gunicorn -c config/gunicorn.py config.wsgi` with "
        f"{args.workers} workers, production settings, the benchmark's PostgreSQL and Redis; "
        f"{args.requests:,} requests from {args.clients} client threads, cycling through: {kinds}. "
        f"RSS is each worker's VmRSS, read every {args.every} requests; 'warm' is its first "
        f"reading after {args.warm} requests (the first PDF loads WeasyPrint's fonts).",
    ]  # fmt: skip
    for result in results:
        lines += ["", *summary(result, args.warm)]
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    kept = text.split(SECTION)[0].rstrip()
    RESULTS.write_text(f"{kept}\n\n{section}" if kept else section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--every", type=int, default=250, help="read RSS every N requests")
    parser.add_argument("--warm", type=int, default=500, help="requests before 'warm'")
    parser.add_argument("--max-requests", type=int, default=1000,
                        help="the production setting, for the second run")  # fmt: skip
    parser.add_argument("--off-only", action="store_true", help="only the max_requests-off run")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    results = []
    for max_requests in (0,) if args.off_only else (0, args.max_requests):
        say(f"Soak with max_requests={max_requests}...")
        results.append(soak(args, max_requests))
        say("\n".join(summary(results[-1], args.warm)))
    text = report(results, args)
    say("\n" + text)
    if not args.no_write:
        write(text)
        say(f"Written to {RESULTS.relative_to(ROOT)}.")
    peak = max(mb for r in results for _, sizes in r.samples for mb in sizes.values())
    sys.exit(0 if peak < LIMIT_MB and not any(r.failed for r in results) else 1)


if __name__ == "__main__":
    main()
