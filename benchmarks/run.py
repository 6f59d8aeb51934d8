"""The benchmark: the product and the floor app under the same gunicorn flags, each page
measured by wrk in interleaved rounds (floor, product, floor, product...), its queries counted
in-process; the table is printed and written to benchmarks/RESULTS.md. Run by `make perf`
(benchmarks/perf sets the environment); never part of `make test`."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django

django.setup()

from benchmarks.pages import Page, benchmark_pages  # noqa: E402
from benchmarks.queries import count_queries  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
FLOOR_PORT, PRODUCT_PORT = 8200, 8201
GUNICORN = [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--worker-class", "sync",
            "--log-level", "warning", "--timeout", "60", "--no-control-socket"]  # fmt: skip


PROXY = {"X-Forwarded-Proto": "https"}  # as behind the TLS proxy: no redirect to https
# What a browser (Chromium) says it accepts, to both apps: the product sends its kept pages
# gzipped to such a client (config/page_cache.py), the floor compresses nothing.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class Run:
    requests: int
    seconds: float
    p95_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@contextmanager
def served(app: str, port: int, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", app], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 180  # a busy machine boots slowly
        while True:
            try:
                probe = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=PROXY)
                urllib.request.urlopen(probe, timeout=10)
                break
            except urllib.error.HTTPError:
                break  # it answers: up
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"{app} did not start on port {port}") from None
                time.sleep(0.3)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def lua_script(page: Page, cookie: str | None) -> str:
    lines = [f"wrk.method = {json.dumps(page.method)}",
             'wrk.headers["X-Forwarded-Proto"] = "https"',
             f'wrk.headers["Accept-Encoding"] = "{ACCEPT_ENCODING}"']  # fmt: skip
    if page.body is not None:
        lines += [f"wrk.body = {json.dumps(page.body)}",
                  'wrk.headers["Content-Type"] = "application/json"']  # fmt: skip
    if cookie:
        lines.append(f'wrk.headers["Cookie"] = "{cookie}"')
    return "\n".join(lines) + LUA_DONE


def wrk(port: int, page: Page, script: Path, seconds: int, connections: int) -> Run:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}{page.path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(row for row in out.splitlines() if row.startswith("RESULT "))
    requests, duration_us, p95_us, errors = (int(x) for x in line.split()[1:])
    return Run(requests, duration_us / 1e6, p95_us / 1000, errors)


def measure(pages: list[Page], cookies: dict[str, str], args: argparse.Namespace) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages:
            script = Path(tmp) / f"{page.key}.lua"
            script.write_text(lua_script(page, cookies.get(page.persona or "")))
            wrk(FLOOR_PORT, page, script, 1, args.connections)  # warm both
            wrk(PRODUCT_PORT, page, script, 1, args.connections)
            floor, product = [], []
            for _ in range(args.rounds):
                floor.append(wrk(FLOOR_PORT, page, script, args.seconds, args.connections))
                product.append(wrk(PRODUCT_PORT, page, script, args.seconds, args.connections))
            ratio = statistics.median(p.rate / f.rate for p, f in zip(product, floor, strict=True))
            row = {
                "page": page, "product": statistics.median(r.rate for r in product),
                "floor": statistics.median(r.rate for r in floor), "ratio": ratio,
                "p95": statistics.median(r.p95_ms for r in product),
                "errors": sum(r.errors for r in product),
                "queries": count_queries(page, cookies),
            }  # fmt: skip
            row["pass"] = row["errors"] == 0 and ratio >= page.target
            say(format_row(row))
            rows.append(row)
    return rows


def format_row(row: dict) -> str:
    page = row["page"]
    verdict = "PASS" if row["pass"] else "FAIL"
    errors = f" ({row['errors']} errors)" if row["errors"] else ""
    return (f"| {page.label} | `{page.path_shown}` | {row['product']:,.0f} | {row['floor']:,.0f} "
            f"| {row['ratio']:.0%} | ≥ {page.target:.0%} | {row['p95']:.1f} | {row['queries']} "
            f"| {verdict}{errors} |")  # fmt: skip


def report(rows: list[dict], args: argparse.Namespace) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    passed = sum(r["pass"] for r in rows)
    header = [
        "# Benchmark results",
        "",
        f"`make perf` ({' '.join(sys.argv[1:]) or 'defaults'}) on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"commit {commit}, {os.cpu_count()} cores (shared). Product and floor each served by "
        f"gunicorn (2 sync workers) on 127.0.0.1; wrk -t1 -c{args.connections} sending a "
        f"browser's Accept-Encoding ({ACCEPT_ENCODING}), "
        f"{args.rounds} interleaved rounds of {args.seconds} s per page; PostgreSQL with "
        "100,000 learners and 2,000,000 ledger entries, Redis cache. Ratio: median over rounds "
        "of product/floor in the same round. p95: product latency. Queries: one request, "
        "counted in-process after a warm-up request.",
        "",
        "| page | path | product req/s | floor req/s | ratio | target | p95 ms | queries "
        "| verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]  # fmt: skip
    footer = ["", f"{passed} of {len(rows)} targets met."]
    return "\n".join(header + [format_row(r) for r in rows] + footer) + "\n"


def other_sections() -> str:
    """What other benchmarks wrote below the table (`## ...`, the memory soak): kept."""
    old = RESULTS.read_text() if RESULTS.exists() else ""
    return old[old.index("\n## ") :] if "\n## " in old else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--only", default="", help="comma-separated page keys")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    pages, cookies = benchmark_pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p.key in wanted]
    env = dict(os.environ)
    with served("benchmarks.floor.wsgi", FLOOR_PORT, env), served("config.wsgi", PRODUCT_PORT, env):
        rows = measure(pages, cookies, args)
    text = report(rows, args)
    say("\n" + text)
    if not args.no_write:
        RESULTS.write_text(text + other_sections())
        say(f"Written to {RESULTS.relative_to(ROOT)}.")
    sys.exit(0 if all(r["pass"] for r in rows) else 1)


if __name__ == "__main__":
    main()
