"""`make soak-roster` (issue 19), not part of `make test` (pytest does not collect this file
by its name): 100 cycles in Chromium of the network going away and coming back at random,
while the instructor saves random attendance, records random assessments, reloads, and now
and then the answer to a sync is lost on its way back (the server applied it, the phone sends
the queue again). At the end, online: the server's records equal the marks made, none lost
(every id sent is stored, every assessment made is applied) and none doubled (each id once,
each learner's day holds exactly the hours last marked).

SOAK_CYCLES and SOAK_SEED change the length and the random sequence."""

from __future__ import annotations

import os
import random
from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, Route, expect

from courses.models import AssessmentResult, RosterSyncMark
from courses.services.completion import latest_results
from tests.browser import test_roster_offline as offline
from tests.browser.test_roster_offline import (
    SYNC,
    _hours,
    _open_day_with_worker,
    _queue,
    _wait_ready,
)

pytestmark = pytest.mark.django_db(transaction=True)
klass = offline.klass  # the class under way, three learners
CYCLES = int(os.environ.get("SOAK_CYCLES", "100"))
SEED = int(os.environ.get("SOAK_SEED", "19"))
NAMES = ("Ana Alvarez", "Ben Brooks", "Cleo Chen")
QUARTERS = [Decimal(n) / 4 for n in range(1, 36)]  # 0.25 to 8.75 of a 9-hour day


def _card_values(page: Page) -> dict[str, Decimal]:
    """The hours each learner's card says, as Save attendance sends them."""
    values = {}
    for name in NAMES:
        card = page.get_by_role("group", name=name)
        mark = card.locator("input[type=radio]:checked").get_attribute("value")
        hours = card.get_by_label("Hours if partial").input_value()
        whole = Decimal(9 if mark == "present" else 0)
        values[name] = Decimal(hours) if mark == "partial" else whole
    return values


def _mark(page: Page, rng: random.Random) -> None:
    card = page.get_by_role("group", name=rng.choice(NAMES))
    mark = rng.choice(["Present, full day", "Absent", "Partial"])
    card.get_by_role("radio", name=mark).check()
    card.get_by_label("Hours if partial").fill(
        str(rng.choice(QUARTERS)) if mark == "Partial" else ""
    )


def _assess(page: Page, rng: random.Random, expected: dict) -> None:
    name = rng.choice(NAMES)
    written = rng.choice([None, rng.randint(0, 100)])
    practical = (
        rng.choice([None, True, False]) if written is not None else rng.choice([True, False])
    )
    page.get_by_label("Learner").select_option(label=name)
    page.get_by_label("Written score (0–100)").fill("" if written is None else str(written))
    page.get_by_label("Practical").select_option({None: "", True: "pass", False: "fail"}[practical])
    page.get_by_role("button", name="Record assessment").click()
    before = expected.get(name, (None, None))
    expected[name] = (
        before[0] if written is None else written, before[1] if practical is None else practical,
    )  # fmt: skip


class LostAnswer:
    """Routes the sync: when armed, the next answer is lost on its way back."""

    armed = False

    def handle(self, route: Route) -> None:
        try:
            if self.armed:
                self.armed = False
                route.fetch()  # the server applies the marks...
                route.abort()  # ...and the phone never hears of it
            else:
                route.continue_()
        except PlaywrightError:
            pass  # the network went away meanwhile: the request failed as it would have


def _acknowledged(response: Response, answered: set[str]) -> None:
    if response.url.endswith("/roster/sync/") and response.status == 200:
        results = response.json()["results"]
        answered.update(r["id"] for r in results if r["status"] != "refused")


def _drain(page: Page) -> None:
    """Online for good: each return of the network sends what still waits."""
    page.context.set_offline(False)
    for _ in range(20):
        if _queue(page).count() == 0:
            break
        page.context.set_offline(True)
        page.context.set_offline(False)
        page.wait_for_timeout(500)
    expect(_queue(page)).to_have_count(0)


def test_random_offline_and_online_marks_end_equal_on_the_server(live_server, page: Page, klass):
    _instructor, offering, day, seats = klass
    by_name = {seat.learner.get_full_name(): seat for seat in seats.values()}
    rng = random.Random(SEED)
    sent_ids: set[str] = set()  # every mark the phone sent (some never arrived)
    answered: set[str] = set()  # the marks the server said it applied, now or before
    hours: dict[str, Decimal] = {}
    results: dict[str, tuple] = {}
    assessments_made = 0

    lost = LostAnswer()

    page.on("request", lambda r: r.method == "POST" and r.url.endswith("/roster/sync/") and
            sent_ids.update(m["id"] for m in r.post_data_json["marks"]))  # fmt: skip
    page.on("response", lambda r: _acknowledged(r, answered))
    _open_day_with_worker(page, live_server.url, offering, day)
    page.route(SYNC, lost.handle)

    for _ in range(CYCLES):
        page.context.set_offline(rng.random() < 0.5)
        if rng.random() < 0.15:
            lost.armed = True
        action = rng.random()
        if action < 0.5:
            for _ in range(rng.randint(1, 3)):
                _mark(page, rng)
            hours.update(_card_values(page))
            page.get_by_role("button", name="Save attendance").click()
            page.wait_for_load_state()
            _wait_ready(page)  # the same page when queued, the next one when saved online
        elif action < 0.8:
            _assess(page, rng, results)
            assessments_made += 1
        else:
            page.reload()
            _wait_ready(page)

    lost.armed = False
    _drain(page)

    stored = {str(i) for i in RosterSyncMark.objects.values_list("client_id", flat=True)}
    # None lost: every mark the server acknowledged is stored, and only marks the phone sent
    # (a mark sent while the network failed may have been replaced, unsent, by a newer one).
    assert answered <= stored <= sent_ids
    assert RosterSyncMark.objects.filter(kind="assessment").count() == assessments_made
    assert {name: _hours(by_name[name], day) for name in hours} == hours  # none doubled
    latest = latest_results([s.pk for s in seats.values()])
    assert {
        name: (latest[by_name[name].pk].written_score, latest[by_name[name].pk].practical_passed)
        for name in results
    } == results
    assert AssessmentResult.objects.count() <= assessments_made
