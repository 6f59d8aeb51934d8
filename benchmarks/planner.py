"""The pathway planner's search (issue 18 §1): 5 target states over 200 upcoming offerings,
aim under 200 ms a question; a benchmark, not a test. Pure: no database, no Django setup.

    .venv/bin/python benchmarks/planner.py [--offerings 200] [--rounds 20]

The rules are the researched file's PT rows (Maryland, Virginia, Utah, Delaware, Colorado:
hour minimums, in-person minimums, 12-48 month windows and years of practice). Offerings:
DN-1 and DN-2 in 12 cities over the next year, one in eight full. Learners: one with nothing
on record, one with DN-1 from 14 months ago (its window has lapsed for some states), and one
who also asks for Nevada (150 hours: no plan reaches it) with a short target date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certification.engine import Requirement, Rule, RuleStatus
from certification.planner import Learner, Offer, plan_pathway
from certification.windows import Hours

RULES_FILE = Path(__file__).resolve().parent.parent / "certification/data/jurisdiction_rules.json"
AS_OF = dt.date(2027, 1, 4)
STATES = ["MD", "VA", "UT", "DE", "CO"]


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def file_rules(codes: list[str]) -> list[Rule]:
    rows = json.loads(RULES_FILE.read_text())["rules"]
    by_code = {r["jurisdiction"]: r for r in rows if r["profession"] == "PT"}
    return [
        Rule(code, by_code[code]["name"], "PT", RuleStatus(by_code[code]["status"]), tuple(
            Requirement(q["label"], _number(q["min_total_hours"]),
                        _number(q["min_in_person_hours"]) or Decimal(0),
                        q["window_months"], q["prior_practice_years"])
            for q in by_code[code]["requirements"]
        ), tuple(by_code[code]["conditions"]))
        for code in codes
    ]  # fmt: skip


def offerings(count: int, seed: int = 18) -> list[Offer]:
    rng = random.Random(seed)
    offers = []
    for pk in range(1, count + 1):
        first = AS_OF + dt.timedelta(days=rng.randrange(7, 365))
        days = tuple(Hours(first + dt.timedelta(days=n), Decimal(9), Decimal(9)) for n in range(3))
        course, full = rng.choice(["DN-1", "DN-2"]), rng.random() < 0.125
        offers.append(Offer(pk, course, days, 89500, place=f"City {rng.randrange(12)}", full=full))
    return offers


LEARNERS = {
    "nothing on record": (Learner(license_issued=dict.fromkeys(STATES, dt.date(2019, 6, 1))),
                          STATES, None),
    "DN-1 14 months ago": (Learner(
        hours=tuple(Hours(dt.date(2025, 11, 3) + dt.timedelta(days=n), Decimal(9), Decimal(9))
                    for n in range(3)),
        license_issued=dict.fromkeys(STATES, dt.date(2025, 6, 1)), completed=frozenset({"DN-1"}),
    ), STATES, None),
    "and Nevada, by March": (Learner(license_issued=dict.fromkeys(STATES, dt.date(2019, 6, 1))),
                             ["NV", *STATES[:4]], dt.date(2027, 3, 31)),
}  # fmt: skip


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offerings", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    offers = offerings(args.offerings)
    say(f"{args.offerings} offerings, {args.rounds} rounds, as of {AS_OF}")
    for name, (learner, codes, target) in LEARNERS.items():
        rules = file_rules(codes)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            pathway = plan_pathway(rules, learner=learner, offers=offers, as_of=AS_OF,
                                   target=target)  # fmt: skip
            times.append((time.perf_counter() - start) * 1000)
        ready = pathway.earliest.ready_on if pathway.earliest else "no plan"
        say(f"  {name:<22} {len(codes)} states: median {statistics.median(times):6.1f} ms, "
              f"max {max(times):6.1f} ms; earliest ready {ready}, "
              f"{len(pathway.shortfalls)} unreachable, truncated={pathway.truncated}")  # fmt: skip


if __name__ == "__main__":
    main()
